import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogKey } from '../../../lib/i18n/t';
import { MESSAGES } from '../../../lib/messages';

const root = path.resolve(__dirname, '../../..');
const LOCALES = ['en', 'hu', 'ro', 'id'];
/** The sync UI's components: every string they show is a key too. */
const COMPONENTS = ['options/SyncSettings.tsx', 'options/DeliveryLog.tsx', 'sync/SyncStatus.tsx', 'sync/SyncBadge.tsx', 'sync/ConflictBanner.tsx'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
  );
}

/** lib/messages.ts too: the keys of a failed exchange (`sync.message.failed`) live there. */
const files = [
  ...sourceFiles(path.join(root, 'lib/sync')),
  path.join(root, 'lib/messages.ts'),
  ...COMPONENTS.map((name) => path.join(root, 'components', name)),
];
const texts = files.map((file) => readFileSync(file, 'utf8'));
/** Names of messages between contexts (`sendMessage('sync.retry', …)`) look like keys but are not shown. */
const messageNames = new Set<string>(Object.keys(MESSAGES));
const used = new Set(
  texts
    .flatMap((text) => [...text.matchAll(/'(sync\.[a-zA-Z.]+[a-zA-Z])'/g)].map((m) => m[1]!))
    // 'sync.now' is both: a message, and the header button's label.
    .filter((key) => !messageNames.has(key) || key === 'sync.now'),
);

describe('sync message keys', () => {
  it('finds the keys it checks', () => {
    expect(used).toContain('sync.error.unauthorized');
    expect(used).toContain('sync.message.failed');
    expect(used).not.toContain('sync.retry');
    expect(used).toContain('sync.settings.heading');
    expect(used).toContain('sync.conflict.loadTheirs');
    expect(used.size).toBeGreaterThan(50);
  });

  it.each(LOCALES)('has every key lib/sync and the sync UI use in the %s catalog', (locale) => {
    const catalog = JSON.parse(readFileSync(path.join(root, 'public/_locales', locale, 'messages.json'), 'utf8')) as Record<string, unknown>;
    const missing = [...used].filter((key) => !(catalogKey(key) in catalog));
    expect(missing).toEqual([]);
  });

  it.each(['sync.status.local', 'sync.status.syncing', 'sync.status.synced', 'sync.status.conflict', 'sync.status.error'])(
    'has the badge text %s in every catalog',
    (key) => {
      for (const locale of LOCALES) {
        const catalog = JSON.parse(readFileSync(path.join(root, 'public/_locales', locale, 'messages.json'), 'utf8')) as Record<string, unknown>;
        expect(catalog, locale).toHaveProperty(catalogKey(key));
      }
    },
  );
});
