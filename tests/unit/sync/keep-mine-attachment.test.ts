/**
 * "Keep mine" on an attachment in conflict queues a change that refers to the
 * file, as every other attachment change does: the bytes stay in the
 * attachments table (the engine reads them when it sends), never copied into
 * the outbox.
 */
import { describe, expect, it } from 'vitest';
import { addAttachments } from '../../../lib/attachments/attachments';
import { createCase } from '../../../lib/cases/create';
import { SidecaseDb } from '../../../lib/db/db';
import { resolveConflict } from '../../../lib/sync/conflicts';
import { caseInput } from '../cases/helpers';

const T0 = Date.UTC(2025, 10, 3, 9, 0, 0);

describe('"Keep mine" on an attachment in conflict', () => {
  it('queues the attachment by reference, without its bytes', async () => {
    const db = new SidecaseDb(`keep-mine-attachment-${Math.random()}`);
    const { case: created } = await createCase(caseInput({ title: 'Photo of the damage' }), { actor: 'Eva', db, now: T0 });
    const file = new File([new Uint8Array(64 * 1024).fill(7)], 'damage.jpg', { type: 'image/jpeg' });
    const [attachment] = await addAttachments(created.id, [file], { db, now: T0 + 1, uploadedBy: 'Eva' });
    await db.syncRecords.put({ entity: 'attachment', entityId: attachment!.id, status: 'conflict', etag: '"their-2"', remoteVersion: 2 });

    await resolveConflict('attachment', attachment!.id, 'mine', { db, now: T0 + 2 });

    const queued = await db.outbox.where('[entity+entityId]').equals(['attachment', attachment!.id]).toArray();
    expect(queued).toHaveLength(1);
    expect(queued[0]!.type).toBe('attachment.updated');
    expect(Object.values(queued[0]!.data).some((value) => value instanceof Blob)).toBe(false);
    expect(queued[0]!.data).toMatchObject({ id: attachment!.id, caseId: created.id, name: 'damage.jpg', size: 64 * 1024, sha256: attachment!.sha256 });
    // The bytes are still where the engine reads them from.
    expect((await db.attachments.get(attachment!.id))?.blob.size).toBe(64 * 1024);
    expect(await db.syncRecords.get(['attachment', attachment!.id])).toMatchObject({ status: 'local', etag: '"their-2"' });
  });
});
