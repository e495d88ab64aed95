#!/usr/bin/env node
// Merge message keys into the four catalogs in public/_locales.
// Usage: node scripts/i18n-add.mjs fragment.json
//   fragment.json: { "en": { "form.title.label": "Title", ... }, "hu": {...}, "ro": {...}, "id": {...} }
// Dotted keys become Chrome's underscore names. Values may be a string or
// { "message": ..., "placeholders": ... }. Keys are kept sorted. A lock
// directory serialises concurrent runs.
import fs from 'node:fs';
import path from 'node:path';

const LOCALES = ['en', 'hu', 'ro', 'id'];
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const lock = path.join(root, 'public/_locales/.lock');
const fragment = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

for (let i = 0; ; i++) {
  try {
    fs.mkdirSync(lock);
    break;
  } catch {
    if (i > 200) throw new Error('catalog lock held for 10 s: remove public/_locales/.lock if stale');
    await new Promise((r) => setTimeout(r, 50));
  }
}
try {
  for (const locale of LOCALES) {
    const entries = fragment[locale];
    if (!entries) throw new Error(`fragment lacks locale ${locale}`);
    const file = path.join(root, 'public/_locales', locale, 'messages.json');
    const catalog = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
    for (const [key, value] of Object.entries(entries)) {
      catalog[key.replace(/\./g, '_')] = typeof value === 'string' ? { message: value } : value;
    }
    const sorted = Object.fromEntries(Object.entries(catalog).sort(([a], [b]) => a.localeCompare(b)));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(sorted, null, 2) + '\n');
  }
} finally {
  fs.rmdirSync(lock);
}
