/**
 * The capture engine (/capture.js, 155 KB) is injected into a tab only when
 * the tab's isolated world lacks the copy this context injected: the next
 * captures in the same page (a mail client or chat, open all day) cost one
 * executeScript. An engine some other context or an older build left there is
 * never run: it is injected again.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { captureTab, NO_ENGINE } from '../../../lib/panel/capture-tab';

const OPTIONS = { ownAddresses: [], ownNames: ['Eva'] };
/** A page that names no customer: the least CaptureResult accepts. */
const ANSWER = {
  customer: {},
  origin: 'email',
  url: 'https://mail.example.com/',
  pageTitle: 'Inbox',
  selection: '',
  candidates: { emails: [], phones: [] },
  truncated: false,
};

/** What the tab's isolated world holds; here the test's own globalThis stands in for it. */
type World = { sidecaseCapture?: (doc: unknown, ctx: { url: string }) => unknown; sidecaseCaptureTag?: string };
const world = globalThis as World;
let calls: string[];

/** executeScript as Chrome runs it: `files` defines the engine, `func` is called with its args. */
function fakeTab(engineAnswer: () => unknown = () => ANSWER) {
  calls = [];
  vi.spyOn(fakeBrowser.scripting, 'executeScript').mockImplementation((async (injection: {
    files?: string[];
    func?: (...args: unknown[]) => unknown;
    args?: unknown[];
  }) => {
    if (injection.files) {
      calls.push(`files ${injection.files.join()}`);
      world.sidecaseCapture = engineAnswer;
      return [{ frameId: 0, result: undefined }];
    }
    calls.push('func');
    return [{ frameId: 0, result: injection.func!(...(injection.args ?? [])) }];
  }) as never);
}

beforeEach(() => {
  // The page function reads the document and the selection of the tab.
  vi.stubGlobal('document', {});
  vi.stubGlobal('location', { href: 'https://mail.example.com/' });
  vi.stubGlobal('getSelection', () => '');
  delete world.sidecaseCapture;
  delete world.sidecaseCaptureTag;
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  delete world.sidecaseCapture;
  delete world.sidecaseCaptureTag;
});

describe('injecting the capture engine', () => {
  it('injects it on the first capture in a tab, then runs it with one call per capture', async () => {
    fakeTab();
    expect(await captureTab(7, OPTIONS)).toMatchObject({ ok: true });
    expect(calls).toEqual(['func', 'files /capture.js', 'func']);
    calls.length = 0;
    expect(await captureTab(7, OPTIONS)).toMatchObject({ ok: true });
    expect(await captureTab(7, OPTIONS)).toMatchObject({ ok: true });
    expect(calls).toEqual(['func', 'func']);
  });

  it('injects it again when the engine in the page is not the one this context injected', async () => {
    fakeTab();
    // An engine from before a reload of the extension, or from another context: defined, with another tag.
    world.sidecaseCapture = () => ({ stale: true });
    world.sidecaseCaptureTag = 'an older build';
    const outcome = await captureTab(7, OPTIONS);
    expect(calls).toEqual(['func', 'files /capture.js', 'func']);
    expect(outcome).toMatchObject({ ok: true, result: { url: ANSWER.url } });
  });

  it('says the answer is invalid when the engine is still missing after injecting it', async () => {
    fakeTab();
    vi.mocked(fakeBrowser.scripting.executeScript).mockImplementation((async () => [{ frameId: 0, result: NO_ENGINE }]) as never);
    expect(await captureTab(7, OPTIONS)).toEqual({ ok: false, error: 'capture.error.invalid' });
  });
});
