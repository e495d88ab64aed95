import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogKey } from '../../../lib/i18n/t';

const root = path.resolve(__dirname, '../../..');
const LOCALES = ['en', 'hu', 'ro', 'id'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
  );
}

describe('sync message keys', () => {
  const used = new Set(
    sourceFiles(path.join(root, 'lib/sync')).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/'(sync\.[a-zA-Z.]+[a-zA-Z])'/g)].map((m) => m[1]!)),
  );

  it('finds the keys it checks', () => {
    expect(used).toContain('sync.error.unauthorized');
    expect(used.size).toBeGreaterThan(20);
  });

  it.each(LOCALES)('has every key lib/sync uses in the %s catalog', (locale) => {
    const catalog = JSON.parse(readFileSync(path.join(root, 'public/_locales', locale, 'messages.json'), 'utf8')) as Record<string, unknown>;
    const missing = [...used].filter((key) => !(catalogKey(key) in catalog));
    expect(missing).toEqual([]);
  });
});
