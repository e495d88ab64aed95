/**
 * panel_heap (issue 5): the side panel's used JS heap with the seeded 50,000
 * cases stored and the case list shown and scrolled a little (the list reads
 * pages of 50 as it scrolls; it never holds the 50,000). Garbage is collected
 * first through the DevTools protocol (no --expose-gc flag needed), then
 * Runtime.getHeapUsage is read. Target: ≤ 30 MB.
 */
import type { ExtensionBrowser } from '../e2e/support/browser';
import type { Figures } from './harness';

const MB = 1024 * 1024;

export async function benchHeap(ext: ExtensionBrowser, figures: Figures): Promise<void> {
  const runs = Number(process.env.BENCH_HEAP_RUNS ?? 5);
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const page = await ext.openPage('sidepanel.html');
    await page.waitForSelector('.case-list .vlist [data-case-number]', { timeout: 30_000 });
    // Scroll a few screens down and wait for the rows there to be read.
    for (let step = 1; step <= 5; step++) {
      await page.$eval('.case-list .vlist', (el, s) => el.scrollTo({ top: s * 2000 }), step);
      await page.waitForFunction(() => document.querySelector('.case-list .vlist [data-case-number]') !== null);
      await new Promise((r) => setTimeout(r, 150));
    }
    await page.waitForFunction(() => document.querySelectorAll('.case-list .vlist [aria-busy="true"]').length === 0, { timeout: 30_000 });
    const cdp = await page.createCDPSession();
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    await cdp.detach();
    samples.push(usedSize);
    await page.close();
  }
  const figure = figures.add('panel_heap', samples, 'bytes');
  figures.target('panel_heap ≤ 30 MB', figure.median <= 30 * MB, `${(figure.median / MB).toFixed(1)} MB`);
}
