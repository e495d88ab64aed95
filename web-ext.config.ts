import { defineWebExtConfig } from 'wxt';

// `npm run dev` opens a browser with the extension loaded. On Debian the
// browser is /usr/bin/chromium; CHROME_PATH / FIREFOX_PATH override.
export default defineWebExtConfig({
  binaries: {
    chrome: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    firefox: process.env.FIREFOX_PATH ?? 'firefox',
  },
  chromiumArgs: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
