/**
 * Running the capture engine in a tab, from the panel (the capture button) or
 * the background (context-menu actions). A function calls `sidecaseCapture`
 * with the context; the engine (the page script /capture.js, 155 KB) is
 * injected first only when the tab's isolated world does not hold this
 * context's copy yet, so the agent's next captures in a mail client or chat
 * (one page all day) cost one `executeScript`, not two. What comes back
 * crossed from a web page: it is parsed with CaptureResult before anyone uses
 * it.
 *
 * Reading a tab needs `activeTab` (a toolbar click or a context-menu click on
 * that tab) or the site's optional host permission ("Always allow"). Without
 * either, Chrome refuses and the agent is told what to do, never left with a
 * silent failure.
 */
import { browser } from 'wxt/browser';
import type { CaptureContext } from '../capture/capture';
import type { CaptureResult } from '../capture/result';

export const CAPTURE_ERRORS = [
  'capture.error.noPermission',
  'capture.error.restricted',
  'capture.error.invalid',
  'capture.error.noTab',
  'capture.error.failed',
  'capture.error.timeout',
] as const;
export type CaptureErrorKey = (typeof CAPTURE_ERRORS)[number];

export type TabCapture = { ok: true; result: CaptureResult } | { ok: false; error: CaptureErrorKey };

/**
 * How long a tab may take to answer. A page frozen by its own script, or one
 * showing `alert()`/`confirm()`, never answers `executeScript`: without a
 * deadline the Capture button stayed disabled until the panel was reloaded,
 * and a context-menu action stored nothing. A working page answers in well
 * under a second, a very large one in a few.
 */
export const CAPTURE_DEADLINE_MS = 10_000;

/** What the page function is given; the URL and, unless given, the selection are read in the page. */
export type CaptureOptions = Omit<CaptureContext, 'url' | 'selection'> & { selection?: string };

/** Chrome's refusals, by their message: the browser gives no error codes here. */
export function captureErrorOf(error: unknown): CaptureErrorKey {
  const message = error instanceof Error ? error.message : String(error);
  if (/No tab with id|No current window|Tab .* not found/i.test(message)) return 'capture.error.noTab';
  // chrome://, the Web Store, other extensions and PDFs in the viewer can never be scripted.
  if (/cannot be scripted|chrome:\/\/|chrome-extension:\/\/|edge:\/\/|about:|extensions gallery|webstore/i.test(message)) {
    return 'capture.error.restricted';
  }
  if (/permission|Cannot access/i.test(message)) return 'capture.error.noPermission';
  return 'capture.error.failed';
}

/**
 * The agent's region for national phone numbers ("06 20 …"): the options'
 * default country when set, else the region of the browser's language.
 */
export function defaultCountryOf(language: string, configured?: string): string | undefined {
  if (configured) return configured.toUpperCase();
  const region = /^[a-z]{2,3}-([A-Z]{2})\b/i.exec(language)?.[1];
  if (region) return region.toUpperCase();
  const byLanguage: Record<string, string> = { hu: 'HU', ro: 'RO', id: 'ID' };
  return byLanguage[language.slice(0, 2).toLowerCase()];
}

export async function captureTab(
  tabId: number,
  options: CaptureOptions,
  { deadlineMs = CAPTURE_DEADLINE_MS }: { deadlineMs?: number } = {},
): Promise<TabCapture> {
  let raw: unknown;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), deadlineMs);
  });
  try {
    // The page's answer, if it ever comes after the deadline, is dropped: the agent was already told.
    const answer = await Promise.race([injectCapture(tabId, options), deadline]);
    if (answer === 'timeout') return { ok: false, error: 'capture.error.timeout' };
    raw = answer;
  } catch (error) {
    return { ok: false, error: captureErrorOf(error) };
  } finally {
    clearTimeout(timer);
  }
  const { CaptureResult } = await import('../capture/result');
  const parsed = CaptureResult.safeParse(raw);
  return parsed.success ? { ok: true, result: parsed.data } : { ok: false, error: 'capture.error.invalid' };
}

/**
 * Tags the engine this context injected. Random per context (panel or
 * background), so an engine left in a tab by an older build, or by the
 * extension before a reload (content scripts of a reloaded extension share
 * its isolated world), is never run: the first capture of a context in a tab
 * injects the engine again and claims it.
 */
const ENGINE_TAG = crypto.randomUUID();
/** The page function's answer when the world holds no engine of this context. */
export const NO_ENGINE = 'sidecase:no-engine';

/**
 * Runs in the tab's isolated world (serialised by executeScript: it may use
 * nothing from this module). `claim`: the engine was just injected; tag it.
 */
function runEngine(ctx: CaptureOptions, tag: string, claim: boolean, noEngine: string): unknown {
  const world = globalThis as { sidecaseCapture?: (doc: Document, ctx: CaptureContext) => unknown; sidecaseCaptureTag?: string };
  if (claim && world.sidecaseCapture) world.sidecaseCaptureTag = tag;
  if (!world.sidecaseCapture || world.sidecaseCaptureTag !== tag) return noEngine;
  return world.sidecaseCapture(document, { ...ctx, url: location.href, selection: ctx.selection ?? String(getSelection() ?? '') });
}

/** The engine's call, preceded by injecting the engine when the tab's world lacks this context's copy. */
async function injectCapture(tabId: number, options: CaptureOptions): Promise<unknown> {
  const run = async (claim: boolean) => {
    const [injection] = await browser.scripting.executeScript({ target: { tabId }, func: runEngine, args: [options, ENGINE_TAG, claim, NO_ENGINE] });
    return injection?.result;
  };
  const first = await run(false);
  if (first !== NO_ENGINE) return first;
  await browser.scripting.executeScript({ target: { tabId }, files: ['/capture.js'] });
  const result = await run(true);
  // Injected and still missing: the page gave nothing the engine made (parsed as invalid).
  return result === NO_ENGINE ? undefined : result;
}
