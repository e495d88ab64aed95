/**
 * The capture engine as a page script (unlisted: built to /capture.js, never
 * loaded by the manifest). Injected with `scripting.executeScript({ files })`
 * when the agent asks for a capture and the tab does not hold it yet
 * (lib/panel/capture-tab.ts); it defines `sidecaseCapture`, which an
 * `executeScript({ func })` calls with the context. Nothing runs on load and
 * nothing in the page is changed.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { captureDocument } from '../lib/capture/capture';

export default defineUnlistedScript(() => {
  (globalThis as { sidecaseCapture?: typeof captureDocument }).sidecaseCapture = captureDocument;
});
