import { afterEach, describe, expect, it } from 'vitest';
import { addAttachments, deleteAttachments } from '../../../lib/attachments/attachments';
import { createCase } from '../../../lib/cases/create';
import { SidecaseDb } from '../../../lib/db/db';
import { drainOutbox } from '../../../lib/sync/engine';
import type { BackendSettings } from '../../../lib/sync/settings';
import { startReferenceBackend, type ReferenceBackend } from '../../support/reference-backend';
import { caseInput } from '../cases/helpers';

const TOKEN = 'tok_delete_before_sync_0123';
const T0 = Date.UTC(2025, 9, 6, 9, 0, 0);
let server: ReferenceBackend | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function caseWithFile() {
  server = await startReferenceBackend({ auth: { type: 'bearer', token: TOKEN } });
  const settings: BackendSettings = { kind: 'rest', url: server.url, auth: { type: 'bearer', token: TOKEN } };
  const db = new SidecaseDb(`delete-before-sync-${Math.random()}`);
  const { case: created } = await createCase(caseInput({ title: 'Wrong file attached' }), { actor: 'Bea', db, now: T0 });
  const [file] = await addAttachments(created.id, [new File(['oops'], 'wrong.txt', { type: 'text/plain' })], { uploadedBy: 'Bea', db, now: T0 + 1 });
  return { server, settings, db, created, file: file! };
}

const entriesOf = (db: SidecaseDb, id: string) => db.outbox.where('[entity+entityId]').equals(['attachment', id]).toArray();

describe('deleting a file before its upload was confirmed', () => {
  it('drops the upload and its delete together when the upload was never sent, and nothing is left stuck', async () => {
    const { server, settings, db, file } = await caseWithFile();
    await deleteAttachments([file.id], { actor: 'Bea', db, now: T0 + 2 });
    expect(await entriesOf(db, file.id)).toEqual([]);

    await drainOutbox({ db, settings, now: () => T0 + 3 });
    expect(await db.outbox.count()).toBe(0);
    expect(await db.syncRecords.where('status').equals('error').count()).toBe(0);
    expect(server.applied.filter((change) => change.id === file.id)).toEqual([]);
  });

  it('queues the delete alone when the upload was sent but never confirmed, and the backend takes it as done', async () => {
    const { settings, db, file } = await caseWithFile();
    const [upload] = await entriesOf(db, file.id);
    await db.outbox.update(upload!.id, { attempts: 1, lastError: 'sync.error.timeout' });
    await deleteAttachments([file.id], { actor: 'Bea', db, now: T0 + 2 });
    expect((await entriesOf(db, file.id)).map((entry) => entry.type)).toEqual(['attachment.deleted']);

    await drainOutbox({ db, settings, now: () => T0 + 3, force: true });
    expect(await db.outbox.count()).toBe(0);
    expect(await db.syncRecords.where('status').equals('error').count()).toBe(0);
  });
});
