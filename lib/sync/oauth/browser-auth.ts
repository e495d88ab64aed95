/**
 * The real browser behind flow.ts's AuthBrowser: `identity.launchWebAuthFlow`
 * and `identity.getRedirectURL()` (Chrome: `https://<id>.chromiumapp.org/`,
 * Firefox: `https://<hash>.extensions.allizom.org/`). Needs the `identity`
 * permission. Kept apart so the flow is tested without a browser.
 */
import { browser } from 'wxt/browser';
import type { AuthBrowser } from './flow';

export function browserAuth(): AuthBrowser {
  return {
    redirectUrl: browser.identity.getRedirectURL(),
    launchWebAuthFlow: (url) => browser.identity.launchWebAuthFlow({ url, interactive: true }),
  };
}
