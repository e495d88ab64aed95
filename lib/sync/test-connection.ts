/**
 * The options page's "Test connection", on the settings as typed (not yet
 * saved): one harmless request, its outcome as a message key.
 */
import { createAdapter } from './adapters';
import type { BackendSettings } from './settings';

export type ConnectionTest = { ok: true; signedInAs?: string } | { ok: false; error: string };

export async function testBackendConnection(
  settings: BackendSettings,
  { fetch = globalThis.fetch.bind(globalThis), now = Date.now, timeoutMs = 10_000 } = {},
): Promise<ConnectionTest> {
  const adapter = createAdapter(settings, { fetch, now, timeoutMs });
  if (!adapter) return { ok: true };
  const outcome = await adapter.testConnection();
  if (outcome.kind === 'ok') return outcome.signedInAs ? { ok: true, signedInAs: outcome.signedInAs } : { ok: true };
  return { ok: false, error: outcome.kind === 'conflict' ? 'sync.error.rejected' : outcome.error };
}
