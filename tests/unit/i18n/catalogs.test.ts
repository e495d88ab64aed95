import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, ORIGINS, PRIORITIES, STATES, ACTIVE_REASONS, TIMELINE_KINDS } from '../../../lib/schema';
import { catalogKey } from '../../../lib/i18n/t';
import { MESSAGES } from '../../../lib/messages';

const LOCALES = ['en', 'hu', 'ro', 'id'] as const;
const root = path.resolve(__dirname, '../../..');
type Catalog = Record<string, { message: string }>;
const catalogs = Object.fromEntries(
  LOCALES.map((locale) => [locale, JSON.parse(fs.readFileSync(path.join(root, 'public/_locales', locale, 'messages.json'), 'utf8')) as Catalog]),
) as Record<(typeof LOCALES)[number], Catalog>;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(rel);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [rel] : [];
  });
}
const sources = ['components', 'entrypoints', 'lib'].flatMap(sourceFiles).map((file) => fs.readFileSync(path.join(root, file), 'utf8'));

/** Keys the code names literally: t('x.y') calls and message-key strings in lib (zod messages, errors). */
function keysUsedInCode(): Set<string> {
  const keys = new Set<string>();
  const groups = /^(app|form|options|error|detail|list|toast|timeline|origin|priority|state|reason|sync|capture|case|note|attachment|sla|search|view|panel|menu|clipboard|inbox|followUp|customer)\./;
  // Dotted strings that are not message keys: event types, form field names
  // (the `name` attributes), the names of the messages between contexts, and host names.
  const events = new Set<string>([
    ...EVENT_TYPES,
    'followUp.added',
    ...['name', 'email', 'phone', 'company'].map((field) => `customer.${field}`),
    ...Object.keys(MESSAGES),
  ]);
  for (const source of sources) {
    for (const match of source.matchAll(/\bt\(\s*'([A-Za-z0-9_.]+)'/g)) keys.add(match[1]!);
    for (const match of source.matchAll(/'([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)+)'/g)) {
      const key = match[1]!;
      if (groups.test(key) && !events.has(key) && !/\.(ts|tsx|js|html|json|css|png|com|org|net)$/.test(key)) keys.add(key);
    }
  }
  // Keys built from the model's choices: t(`origin.${origin}`) and the like.
  for (const origin of ORIGINS) keys.add(`origin.${origin}`);
  for (const priority of PRIORITIES) keys.add(`priority.${priority}`);
  for (const state of STATES) keys.add(`state.${state}`);
  for (const reason of ACTIVE_REASONS) keys.add(`reason.${reason}`);
  for (const kind of TIMELINE_KINDS) keys.add(`timeline.${kind}`);
  for (const field of ['name', 'email', 'phone', 'company']) keys.add(`form.customer.${field}.label`);
  return keys;
}

describe('message catalogs', () => {
  it('have the same keys in English, Hungarian, Romanian and Indonesian', () => {
    const english = Object.keys(catalogs.en).sort();
    for (const locale of LOCALES) expect(Object.keys(catalogs[locale]).sort(), locale).toEqual(english);
  });

  it('have no empty message and the same placeholders in every language', () => {
    for (const [key, { message }] of Object.entries(catalogs.en)) {
      const placeholders = (text: string) => [...text.matchAll(/\$\d/g)].map((m) => m[0]).sort();
      for (const locale of LOCALES) {
        const translated = catalogs[locale][key]?.message ?? '';
        expect(translated.trim(), `${locale} ${key}`).not.toBe('');
        expect(placeholders(translated), `${locale} ${key}`).toEqual(placeholders(message));
      }
    }
  });

  it('contain every message key the code uses', () => {
    const missing = [...keysUsedInCode()].filter((key) => !catalogs.en[catalogKey(key)]);
    expect(missing).toEqual([]);
  });

  it('use only names Chrome accepts', () => {
    for (const key of Object.keys(catalogs.en)) expect(key).toMatch(/^[A-Za-z0-9_@]+$/);
  });
});
