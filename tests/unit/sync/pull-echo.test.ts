import { afterEach, describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { caseInput } from '../cases/helpers';
import { SidecaseDb } from '../../../lib/db/db';
import { drainOutbox } from '../../../lib/sync/engine';
import { pullChanges } from '../../../lib/sync/pull';
import type { BackendSettings } from '../../../lib/sync/settings';
import { recordSyncStatus } from '../../../lib/sync/status';
import { startReferenceBackend, type ReferenceBackend } from '../../support/reference-backend';

const TOKEN = 'tok_pull_echo_0123456789';
let server: ReferenceBackend | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('pulling after an answer was lost', () => {
  it('takes our own applied-but-unconfirmed change for an echo, not for a conflict', async () => {
    server = await startReferenceBackend({ auth: { type: 'bearer', token: TOKEN } });
    const settings: BackendSettings = { kind: 'rest', url: server.url, auth: { type: 'bearer', token: TOKEN } };
    const db = new SidecaseDb(`pull-echo-${Math.random()}`);
    const { case: created } = await createCase(
      caseInput({ title: 'Answer lost', customer: { name: 'Ana Exemplu', email: '', phone: '', company: '' } }),
      { actor: 'Eva', db },
    );
    // The backend commits every PUT and hangs up before answering.
    server.setFaults((request) => (request.method === 'PUT' ? { kind: 'dropAfterCommit' } : undefined));
    const first = await drainOutbox({ db, settings });
    expect(first.sent).toBe(0);
    expect(server.applied.filter((change) => change.id === created.id)).toHaveLength(1);

    const pulled = await pullChanges({ db, settings });
    expect(pulled.conflicts).toBe(0);
    expect((await recordSyncStatus('case', created.id, db)).status).not.toBe('conflict');

    server.setFaults(undefined);
    await drainOutbox({ db, settings, force: true });
    expect(await db.outbox.count()).toBe(0);
    expect(await recordSyncStatus('case', created.id, db)).toMatchObject({ status: 'synced' });
    expect(server.applied.filter((change) => change.id === created.id)).toHaveLength(1);
  });
});
