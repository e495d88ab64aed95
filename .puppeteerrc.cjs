/**
 * @axe-core/puppeteer names the full `puppeteer` as a peer, and npm installs
 * it; its install script would then download a browser. The tests drive
 * Debian's Chromium through puppeteer-core (tests/e2e/support/browser.ts), and
 * CI has no network beyond the registries: no download.
 */
module.exports = { skipDownload: true };
