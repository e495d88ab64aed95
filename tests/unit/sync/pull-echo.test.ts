import { afterEach, describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { updateCase } from '../../../lib/cases/edit';
import { caseInput } from '../cases/helpers';
import { SidecaseDb } from '../../../lib/db/db';
import { drainOutbox } from '../../../lib/sync/engine';
import { CURSOR_META_KEY, readSyncRowsRevision } from '../../../lib/sync/engine-state';
import { pullChanges } from '../../../lib/sync/pull';
import type { BackendSettings } from '../../../lib/sync/settings';
import { recordSyncStatus } from '../../../lib/sync/status';
import { startReferenceBackend, type ReferenceBackend } from '../../support/reference-backend';

const TOKEN = 'tok_pull_echo_0123456789';
let running: ReferenceBackend | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** A reference backend, a fresh database and one case created in it, not yet sent. */
async function caseAtBackend(title: string) {
  const server = (running = await startReferenceBackend({ auth: { type: 'bearer', token: TOKEN } }));
  const settings: BackendSettings = { kind: 'rest', url: server.url, auth: { type: 'bearer', token: TOKEN } };
  const db = new SidecaseDb(`pull-echo-${Math.random()}`);
  const { case: created } = await createCase(caseInput({ title, customer: { name: 'Ana Exemplu', email: '', phone: '', company: '' } }), { actor: 'Eva', db });
  return { server, settings, db, created };
}

describe('pulling after an answer was lost', () => {
  it('takes our own applied-but-unconfirmed change for an echo, not for a conflict', async () => {
    const { server, settings, db, created } = await caseAtBackend('Answer lost');
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

describe('pulling our own change confirmed without an ETag', () => {
  it('takes it for an echo when the agent has edited the case since, not for a conflict, and sends the edit', async () => {
    const { server, settings, db, created } = await caseAtBackend('No ETag here');
    // The backend applies the case and answers without an ETag: its version is not known here.
    server.setFaults((request) => (request.method === 'PUT' ? { kind: 'noEtag' } : undefined));
    expect((await drainOutbox({ db, settings })).sent).toBeGreaterThan(0);
    server.setFaults(undefined);
    // The agent edits the case before the pull that follows the drain has read the feed.
    await updateCase(created.id, { title: 'No ETag here, edited' }, { actor: 'Eva', db });

    const revision = await readSyncRowsRevision(db);
    const pulled = await pullChanges({ db, settings });
    expect(pulled.conflicts).toBe(0);
    expect((await recordSyncStatus('case', created.id, db)).status).not.toBe('conflict');
    // The echo's row took the feed's version: the rows' revision moved with it (drain-rows.ts).
    expect(await readSyncRowsRevision(db)).not.toBe(revision);
    await drainOutbox({ db, settings });
    expect(await db.outbox.count()).toBe(0);
    expect(server.record('case', created.id)?.data.title).toBe('No ETag here, edited');
  });
});

describe('a change of theirs after ours was confirmed without an ETag', () => {
  it('is still a conflict when the agent has edited the case too', async () => {
    const { server, settings, db, created } = await caseAtBackend('Both sides');
    server.setFaults((request) => (request.method === 'PUT' ? { kind: 'noEtag' } : undefined));
    await drainOutbox({ db, settings });
    server.setFaults(undefined);
    // The feed read up to our own change (a pull in between), so it shows theirs alone.
    await db.meta.put({ key: CURSOR_META_KEY, value: String(server.applied.length) });
    // Someone changes it at the backend, and the agent here, before the pull.
    server.externalUpdate('case', created.id, { ...server.record('case', created.id)!.data, title: 'Both sides, theirs' });
    await updateCase(created.id, { title: 'Both sides, mine' }, { actor: 'Eva', db });

    const pulled = await pullChanges({ db, settings });
    expect(pulled.conflicts).toBe(1);
    expect(await recordSyncStatus('case', created.id, db)).toMatchObject({ status: 'conflict' });
  });
});
