/**
 * panel_heap (issue 5): the side panel's used JS heap with the seeded 50,000
 * cases stored and the case list shown and scrolled a little (the list reads
 * pages of 50 as it scrolls; it never holds the 50,000). Garbage is collected
 * first through the DevTools protocol (no --expose-gc flag needed), then
 * Runtime.getHeapUsage is read. Target: ≤ 30 MB.
 *
 * worker_heap (issue 18): the same reading in the extension's service worker,
 * where the search runs and keeps its caches, after the bench's queries have
 * been typed in a panel (caches filled as an agent's searches fill them).
 */
import type { CDPSession } from 'puppeteer-core';
import type { ExtensionBrowser } from '../e2e/support/browser';
import { step, withDeadline, type Figures } from './harness';
import { QUERIES } from './search';

async function usedHeapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

export async function benchWorkerHeap(ext: ExtensionBrowser, figures: Figures): Promise<void> {
  const runs = Number(process.env.BENCH_HEAP_RUNS ?? 5);
  const page = await ext.openPage('sidepanel.html');
  const box = (await page.waitForSelector('input[name="search"]', { timeout: 15_000 }))!;
  for (const query of QUERIES) {
    step(`heap: searching "${query}" to fill the worker's caches`);
    await box.click({ count: 3 });
    await page.keyboard.press('Backspace');
    await page.keyboard.type(query);
    await page.waitForFunction((text) => document.querySelector('.search-results')?.getAttribute('data-query') === text, { timeout: 15_000 }, query);
  }
  await page.close();
  step('heap: reading the service worker\'s heap');
  const target = await ext.browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${ext.extensionId}/`),
    { timeout: 15_000 },
  );
  const cdp = await target.createCDPSession();
  const samples: number[] = [];
  try {
    for (let run = 0; run < runs; run++) samples.push(await withDeadline(usedHeapAfterGc(cdp), 20_000, 'reading the worker heap'));
  } finally {
    await cdp.detach();
  }
  figures.add('worker_heap', samples, 'bytes');
}

const MB = 1024 * 1024;

export async function benchHeap(ext: ExtensionBrowser, figures: Figures): Promise<void> {
  const runs = Number(process.env.BENCH_HEAP_RUNS ?? 5);
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    step(`heap: panel ${run + 1} of ${runs}, scrolling the case list`);
    // The Cases view (the panel opens on New otherwise).
    const page = await ext.openPage('sidepanel.html#cases');
    await page.waitForSelector('.case-list .vlist [data-case-number]', { timeout: 30_000 });
    // Scroll a few screens down and wait for the rows there to be read.
    for (let step = 1; step <= 5; step++) {
      await page.$eval('.case-list .vlist', (el, s) => el.scrollTo({ top: s * 2000 }), step);
      await page.waitForFunction(() => document.querySelector('.case-list .vlist [data-case-number]') !== null, { timeout: 15_000 });
      await new Promise((r) => setTimeout(r, 150));
    }
    await page.waitForFunction(() => document.querySelectorAll('.case-list .vlist [aria-busy="true"]').length === 0, { timeout: 30_000 });
    const cdp = await page.createCDPSession();
    samples.push(await withDeadline(usedHeapAfterGc(cdp), 20_000, 'reading the panel heap'));
    await cdp.detach();
    await page.close();
  }
  const figure = figures.add('panel_heap', samples, 'bytes');
  figures.target('panel_heap ≤ 30 MB', figure.median <= 30 * MB, `${(figure.median / MB).toFixed(1)} MB`);
  await benchWorkerHeap(ext, figures);
}
