/**
 * The built scripts the extension keeps running (the background's service
 * worker, the panel's and the options page's chunks) hold no character above
 * U+00FF. V8 keeps a script's source as one byte per character only while
 * every character fits in Latin-1: one "ă" in a regular expression made it
 * hold the background's 390 KB source as two-byte text, twice the memory.
 * Write such a character as \uXXXX in code (the i18n catalogs are JSON and
 * are not scripts).
 *
 * capture.js is left out: its reply-header patterns name Cyrillic and Polish
 * words, and it lives only as long as the page it was injected into.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXTENSION_DIR } from './support/browser';

/** Scripts in the build, relative to it. */
function scripts(dir: string, under = ''): string[] {
  return fs.readdirSync(path.join(dir, under), { withFileTypes: true }).flatMap((entry) => {
    const file = path.posix.join(under, entry.name);
    if (entry.isDirectory()) return scripts(dir, file);
    return entry.name.endsWith('.js') ? [file] : [];
  });
}

describe('the built scripts', () => {
  it('hold no character above U+00FF, capture.js aside', () => {
    const kept = scripts(EXTENSION_DIR).filter((file) => file !== 'capture.js');
    expect(kept).toContain('background.js');
    expect(kept.filter((file) => file.startsWith('chunks/')).length).toBeGreaterThan(3);
    const wide = kept.flatMap((file) => {
      const text = fs.readFileSync(path.join(EXTENSION_DIR, file), 'utf8');
      const at = [...text].findIndex((char) => char.codePointAt(0)! > 0xff);
      return at < 0 ? [] : [`${file}: ${JSON.stringify([...text].slice(Math.max(0, at - 30), at + 10).join(''))}`];
    });
    expect(wide).toEqual([]);
  });
});
