/**
 * npm run bench: Sidecase's speed in real Chromium, with 50,000 cases and
 * 20,000 customers stored. Prints a table; `--json FILE` also writes the
 * figures as { name: { median, p95, unit } }.
 *
 * The built extension is copied to a temporary folder with one extra page,
 * blank.html, the yardstick "empty extension page"; the shipped build has none.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchWithExtension, typeInto } from '../e2e/support/browser';
import { Figures } from './harness';
import { benchPanel } from './panel';
import { writeFloorPage } from './search';
import { seedDatabase } from './seed';

const args = process.argv.slice(2);
const jsonIndex = args.indexOf('--json');
const jsonFile = jsonIndex >= 0 ? args[jsonIndex + 1] : undefined;
const CASES = Number(process.env.BENCH_CASES ?? 50_000);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 20_000);
const NOTES = Number(process.env.BENCH_NOTES ?? 200_000);

const source = path.resolve(process.env.SIDECASE_EXTENSION_DIR ?? '.output/chrome-mv3');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecase-bench-ext-'));
fs.cpSync(source, dir, { recursive: true });
fs.writeFileSync(
  path.join(dir, 'blank.html'),
  '<!doctype html><html><head><meta charset="utf-8"><title>blank</title><script type="module" src="/blank.js"></script></head><body></body></html>',
);
fs.writeFileSync(path.join(dir, 'blank.js'), "performance.mark('sidecase:ready'); document.body.dataset.ready = 'true';\n");
writeFloorPage(dir);

const figures = new Figures();
const ext = await launchWithExtension({ extensionDir: dir });
try {
  console.log(`seeding ${CASES} cases, ${CUSTOMERS} customers, ${NOTES} notes…`);
  const started = Date.now();
  const page = await ext.openPage('sidepanel.html');
  await typeInto(page, 'title', 'Seed template');
  await typeInto(page, 'customer.name', 'Template Customer');
  await typeInto(page, 'customer.email', 'template@example.com');
  await page.click('form[name="quick-create"] button[name="save"]');
  await page.waitForSelector('.toast__message');
  await seedDatabase(page, { cases: CASES, customers: CUSTOMERS, notes: NOTES });
  await page.close();
  console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  // BENCH_ONLY=panel,search runs some groups only (while working on one).
  const only = process.env.BENCH_ONLY?.split(',');
  const wanted = (group: string) => !only || only.includes(group);
  if (wanted('panel')) await benchPanel(ext, figures, dir);
  if (wanted('search')) await (await import('./search')).benchSearch(ext, figures, dir);
  if (wanted('heap')) await (await import('./heap')).benchHeap(ext, figures);
  if (wanted('capture')) await (await import('./capture')).benchCapture(ext, figures);
  if (wanted('sync')) await (await import('./sync')).benchSync(ext, figures, dir);
} finally {
  await ext.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
figures.print();
if (jsonFile) figures.writeJson(jsonFile);
