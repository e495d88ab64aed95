import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';

/**
 * The side panel's first script: a classic (non-module) script that asks
 * storage for the draft and the settings at once, so the read runs while the
 * browser is still loading and compiling the panel's modules instead of after
 * them. main.tsx picks the answer up from `__sidecaseBoot` and validates it
 * (lib/drafts.ts, lib/settings.ts): this script only starts the read.
 */
export default defineUnlistedScript(() => {
  const scope = globalThis as unknown as {
    browser?: { storage: { local: { get(keys: string[]): Promise<Record<string, unknown>> } } };
    chrome?: { storage: { local: { get(keys: string[]): Promise<Record<string, unknown>> } } };
    __sidecaseBoot?: Promise<Record<string, unknown>>;
  };
  const api = scope.browser ?? scope.chrome;
  scope.__sidecaseBoot = api?.storage.local.get(['draft', 'settings']);
});
