/**
 * npm run bench: Sidecase's speed in real Chromium, with 50,000 cases,
 * 20,000 customers and 200,000 notes stored. Prints progress per phase, then a
 * table; `--json FILE` also writes the figures as { name: { median, p95, unit } }.
 *
 * Each phase has a deadline and every wait in it has one too (seeding: 30 s
 * per chunk, a chunk being sized to about 4 s; the whole seed 30 minutes, as a
 * 2-core machine shared by several jobs seeds about 10,000 cases or 25,000
 * notes a minute; BENCH_<PHASE>_BUDGET_S overrides a phase's): a phase that
 * fails or stalls prints one line (which phase, where and why), the bench goes
 * on with the next phase where that makes sense, writes the figures of the
 * phases that finished, and exits with 1.
 *
 * The build measured is .output/chrome-mv3, or SIDECASE_EXTENSION_DIR. It is
 * copied to a temporary folder (BENCH_SEEDED_PROFILE: a fixed one, below) with
 * extra pages the shipped build has none of: blank.html, the yardstick "empty
 * extension page", and floor.html (search.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchWithExtension, typeInto, type ExtensionBrowser } from '../e2e/support/browser';
import { Figures, progress, reasonOf, step, withDeadline } from './harness';
import { benchPanel, measureColdOpens } from './panel';
import { writeFloorPage } from './search';
import { copySeededProfile, SeedData, seedDatabase, seededExtensionDir, type SeedCounts, type Templates } from './seed';

const args = process.argv.slice(2);
const jsonIndex = args.indexOf('--json');
const jsonFile = jsonIndex >= 0 ? args[jsonIndex + 1] : undefined;
const CASES = Number(process.env.BENCH_CASES ?? 50_000);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 20_000);
const NOTES = Number(process.env.BENCH_NOTES ?? 200_000);
const MINUTE = 60_000;

const source = path.resolve(process.env.SIDECASE_EXTENSION_DIR ?? '.output/chrome-mv3');
/**
 * BENCH_SEEDED_PROFILE=DIR, while working on one phase: the first run keeps a copy of the
 * seeded profile in DIR (with seed.json, what the search check needs), later runs with the
 * same counts copy it instead of seeding. The extension is then loaded from DIR/extension: an
 * unpacked extension's id comes from its path, and the seeded database belongs to that id.
 */
const kept = process.env.BENCH_SEEDED_PROFILE ? path.resolve(process.env.BENCH_SEEDED_PROFILE) : undefined;
const dir = kept ? seededExtensionDir(kept) : fs.mkdtempSync(path.join(os.tmpdir(), 'sidecase-bench-ext-'));
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecase-bench-profile-'));
const figures = new Figures();
const failures: string[] = [];
const benchStarted = Date.now();

/** Runs one phase within its deadline; a failure is printed as one line and remembered. */
async function phase(name: string, budgetMs: number, run: () => Promise<void>): Promise<boolean> {
  progress.phase = name;
  step('');
  console.log(`\n[${name}] (up to ${Math.round(budgetMs / 1000)} s)`);
  const started = Date.now();
  try {
    await withDeadline(run(), budgetMs, `phase ${name}`);
    console.log(`[${name}] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return true;
  } catch (error) {
    const line = `phase ${name} failed after ${((Date.now() - started) / 1000).toFixed(1)} s: ${reasonOf(error)}`;
    console.log(`[${name}] FAILED: ${reasonOf(error)}`);
    failures.push(line);
    return false;
  }
}

/** The seed kept in BENCH_SEEDED_PROFILE for these counts, if any. */
function keptSeed(): SeedData | undefined {
  const file = kept && path.join(kept, 'seed.json');
  if (!file || !fs.existsSync(file)) return undefined;
  const { counts, templates, now } = JSON.parse(fs.readFileSync(file, 'utf8')) as { counts: SeedCounts; templates: Templates; now: number };
  if (counts.cases !== CASES || counts.customers !== CUSTOMERS || counts.notes !== NOTES) return undefined;
  return new SeedData(counts, templates, now);
}

/** Copies the freshly seeded profile into BENCH_SEEDED_PROFILE (the browser closed first, so its files are whole). */
async function keepSeed(data: SeedData): Promise<void> {
  await close();
  fs.rmSync(path.join(kept!, 'profile'), { recursive: true, force: true });
  fs.cpSync(profile, path.join(kept!, 'profile'), { recursive: true });
  fs.writeFileSync(path.join(kept!, 'seed.json'), JSON.stringify({ counts: data.counts, templates: data.templates, now: data.now }));
  console.log(`  kept the seeded profile in ${kept}`);
}

let ext: ExtensionBrowser | undefined;
const launch = async () => {
  ext = await withDeadline(launchWithExtension({ extensionDir: dir, userDataDir: profile }), 60_000, 'starting Chromium');
  return ext;
};
/** Closes the browser, keeping the seeded profile; kills it if it does not close. */
const close = async () => {
  const current = ext;
  ext = undefined;
  if (!current) return;
  await withDeadline(current.close({ keepProfile: true }), 30_000, 'closing Chromium').catch(() => current.browser.process()?.kill('SIGKILL'));
};

try {
  if (!fs.existsSync(path.join(source, 'manifest.json'))) throw new Error(`no built extension in ${source}: run npm run build first`);
  console.log(`measuring ${source}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(source, dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'blank.html'),
    '<!doctype html><html><head><meta charset="utf-8"><title>blank</title><script type="module" src="/blank.js"></script></head><body></body></html>',
  );
  fs.writeFileSync(path.join(dir, 'blank.js'), "performance.mark('sidecase:ready'); document.body.dataset.ready = 'true';\n");
  writeFloorPage(dir);

  // The capture score needs no browser: the engine runs over the corpus in Node (happy-dom).
  if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes('capture')) {
    await phase('capture_score', Number(process.env.BENCH_CAPTURE_SCORE_BUDGET_S ?? 120) * 1000, async () => {
      const { scoreCorpus } = await import('../corpus/score');
      const score = scoreCorpus();
      figures.add('capture_accuracy', [score.accuracy], 'ratio');
      figures.add('capture_wrong', [score.wrong], 'ratio');
      figures.target('capture_accuracy ≥ 0.95', score.accuracy >= 0.95, `${score.accuracy.toFixed(3)} over ${score.pages} pages`);
      figures.target('capture_wrong ≤ 0.01', score.wrong <= 0.01, score.wrong.toFixed(3));
    });
  }

  let seed = keptSeed();
  const seeded = await phase('seed', Number(process.env.BENCH_SEED_BUDGET_S ?? 1800) * 1000, async () => {
    if (seed) {
      console.log(`  copying the seeded profile kept in ${kept}`);
      copySeededProfile(kept!, profile);
      return;
    }
    console.log(`  seeding ${CASES.toLocaleString('en-US')} cases, ${CUSTOMERS.toLocaleString('en-US')} customers, ${NOTES.toLocaleString('en-US')} notes`);
    const browser = await launch();
    step('seed: creating the template case through the panel');
    const page = await browser.openPage('sidepanel.html');
    await typeInto(page, 'title', 'Seed template');
    await typeInto(page, 'customer.name', 'Template Customer');
    await typeInto(page, 'customer.email', 'template@example.com');
    await page.click('form[name="quick-create"] button[name="save"]');
    await page.waitForSelector('.toast__message', { timeout: 15_000 });
    seed = await seedDatabase(page, { cases: CASES, customers: CUSTOMERS, notes: NOTES });
    await page.close();
    if (kept) await keepSeed(seed);
  });

  if (seeded) {
    // BENCH_ONLY=panel,search runs some groups only (while working on one).
    const only = process.env.BENCH_ONLY?.split(',');
    const wanted = (group: string) => !only || only.includes(group);
    const budget = (group: string, seconds: number) => Number(process.env[`BENCH_${group.toUpperCase()}_BUDGET_S`] ?? seconds) * 1000;
    // The first open after the browser starts: the browser is restarted on the seeded profile for each.
    if (wanted('panel')) {
      await phase('panel_cold', budget('panel_cold', 150), async () => {
        await measureColdOpens(figures, Number(process.env.BENCH_COLD_OPENS ?? 5), async () => {
          await close();
          return launch();
        });
      });
    }
    // A phase that failed may have left the browser closed: the next starts it again.
    const browser = async () => {
      if (ext?.browser.connected) return ext;
      await close();
      return launch();
    };
    if (wanted('panel')) await phase('panel', budget('panel', 240), async () => benchPanel(await browser(), figures, dir));
    if (wanted('search')) await phase('search', budget('search', 120), async () => (await import('./search')).benchSearch(await browser(), figures, dir, seed));
    if (wanted('heap')) await phase('heap', budget('heap', 90), async () => (await import('./heap')).benchHeap(await browser(), figures));
    if (wanted('capture')) await phase('capture', budget('capture', 90), async () => (await import('./capture')).benchCapture(await browser(), figures));
    if (wanted('sync')) await phase('sync', budget('sync', 600), async () => (await import('./sync')).benchSync(await browser(), figures, dir));
    if (wanted('sync_d365')) await phase('sync_d365', budget('sync_d365', 300), async () => (await import('./sync-d365')).benchSyncD365(await browser(), figures, dir));
    if (wanted('sync_zendesk')) await phase('sync_zendesk', budget('sync_zendesk', 300), async () => (await import('./sync-zendesk')).benchSyncZendesk(await browser(), figures, dir));
  }
} catch (error) {
  failures.push(`bench failed: ${reasonOf(error)}`);
} finally {
  await close().catch(() => {});
  if (!kept) fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(profile, { recursive: true, force: true });
}

figures.print();
if (jsonFile) figures.writeJson(jsonFile);
console.log(`\nbench took ${((Date.now() - benchStarted) / 1000).toFixed(0)} s`);
if (failures.length) {
  console.log(`\n${failures.length} phase(s) failed:`);
  for (const line of failures) console.log(`  ${line}`);
}
// A stalled call may still hold a handle open: exit explicitly.
process.exit(failures.length ? 1 : 0);
