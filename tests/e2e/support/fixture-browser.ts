/**
 * The setup the capture tests share: the fixture pages' server
 * (tests/fixtures/pages/server.ts) and the built extension with the agent's
 * settings, started before a file's tests and closed after them; and one
 * open case of the agent's, for "Add … to case" and "Attach to case" to offer.
 */
import { afterAll, beforeAll } from 'vitest';
import { launchWithExtension, typeInto, type ExtensionBrowser } from './browser';
import { startFixtureServer, type FixtureServer } from '../../fixtures/pages/server';
import { openPanelFor, saveForm, setAgentSettings } from '../../fixtures/pages/harness';

export interface FixtureBrowser {
  ext: ExtensionBrowser;
  server: FixtureServer;
}

/**
 * Starts the fixture server and the extension (with the agent's settings)
 * before the file's tests, hands both to `ready` (which keeps them and may set
 * up more), and closes both after the tests, whatever `ready` did.
 */
export function useFixtureBrowser(ready: (started: FixtureBrowser) => unknown): void {
  let ext: ExtensionBrowser | undefined;
  let server: FixtureServer | undefined;
  beforeAll(async () => {
    server = await startFixtureServer();
    ext = await launchWithExtension();
    await setAgentSettings(ext);
    await ready({ ext, server });
  });
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });
}

/** Saves a case of the agent's from a panel opened on the tab, then closes the panel. */
export async function saveOpenCase(ext: ExtensionBrowser, tabId: number, fields: { title: string; email: string }): Promise<void> {
  const panel = await openPanelFor(ext, tabId);
  await typeInto(panel, 'title', fields.title);
  await typeInto(panel, 'customer.email', fields.email);
  await saveForm(panel);
  await panel.close();
}
