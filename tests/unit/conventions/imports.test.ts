/**
 * Convention: no import loop in product code. No file of lib/, components/ or
 * entrypoints/ imports a file that imports it back, directly or through
 * others (house style, "One fact, one place": when two folders need each
 * other, the shared piece moves down to a third).
 *
 * What counts as an import: every `import … from`, `export … from`, bare
 * `import '…'` and dynamic `import('…')` of a relative path. Type-only imports
 * (`import type`, `export type`, or an import whose every name is marked
 * `type`) count too: they vanish from the bundle, but a type that travels in
 * a loop is a layering loop all the same, and the next value import along
 * the same edge would make it a real one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
const FOLDERS = ['lib', 'components', 'entrypoints'];
const EXTENSIONS = ['.ts', '.tsx'];

function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (EXTENSIONS.some((ext) => name.endsWith(ext)) && !name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** The file a relative specifier names, as the bundler resolves it; undefined for a package or an asset. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier.replace(/\?.*$/, ''));
  const candidates = [base, ...EXTENSIONS.map((ext) => base + ext), ...EXTENSIONS.map((ext) => join(base, `index${ext}`))];
  return candidates.find((path) => EXTENSIONS.some((ext) => path.endsWith(ext)) && isFile(path));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The relative specifiers a file imports: static, re-exported, dynamic; type-only ones too. */
export function importsOf(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      // `import('./x').Type` in a type position
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of FOLDERS.flatMap((folder) => sourceFiles(join(ROOT, folder)))) {
    const targets = importsOf(file, readFileSync(file, 'utf8'))
      .map((specifier) => resolveSpecifier(file, specifier))
      .filter((target): target is string => target !== undefined);
    graph.set(relative(ROOT, file), [...new Set(targets.map((target) => relative(ROOT, target)))]);
  }
  return graph;
}

/** Strongly connected components of more than one file, or of one file importing itself (Tarjan). */
export function loopsOf(graph: Map<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) components.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) connect(node);
  return components;
}

/** One shortest loop through the first file of a component: a → b → … → a. */
export function shortestLoop(graph: Map<string, readonly string[]>, component: readonly string[]): string[] {
  const members = new Set(component);
  const start = component[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!);
        return [...path, start];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start];
}

describe('imports', () => {
  it('reads static, re-exported, dynamic and type-only imports', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from './b';",
      "import './c';",
      "export { d } from './d';",
      "const e = () => import('./e');",
      "let f: import('./f').F;",
      "import { z } from 'zod';",
    ].join('\n');
    expect(importsOf('x.ts', text)).toEqual(['./a', './b', './c', './d', './e', './f', 'zod']);
  });

  it('finds a loop through three files and names it in order', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts', 'd.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', []],
    ]);
    const loops = loopsOf(graph);
    expect(loops).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(shortestLoop(graph, loops[0]!)).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
  });

  it('has no file in lib/, components/ or entrypoints/ that imports itself back', () => {
    const graph = importGraph();
    // The scan must see the product: a wrong root would find no loop in nothing.
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('lib/cases/create.ts')).toContain('lib/db/db.ts');
    const loops = loopsOf(graph).map((component) => shortestLoop(graph, component).join(' → '));
    expect(loops, `import loops:\n${loops.join('\n')}`).toEqual([]);
    // Parsing every product file takes seconds on a busy two-core machine: a time limit, not a figure.
  }, 60_000);
});
