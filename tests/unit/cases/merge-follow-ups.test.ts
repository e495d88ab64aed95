/**
 * A case with open follow-ups cannot be merged away: its tasks would be left
 * on a cancelled case that nobody opens again. The merge is refused as a
 * whole, and nothing of either case moves.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAttachments } from '../../../lib/attachments/attachments';
import { createCase } from '../../../lib/cases/create';
import { addFollowUp, closeFollowUps, listFollowUps } from '../../../lib/cases/follow-ups';
import { FollowUpsOpenError, mergeCase } from '../../../lib/cases/lifecycle';
import type { SidecaseDb } from '../../../lib/db/db';
import { SidecaseError } from '../../../lib/errors';
import { addNote } from '../../../lib/notes/notes';
import type { Case } from '../../../lib/schema';
import { caseInput, freshDb } from './helpers';

let db: SidecaseDb;
let now: number;
const ctx = (actor = 'Bea') => ({ actor, db, now: ++now });

beforeEach(() => {
  db = freshDb();
  now = 1_700_000_000_000;
});
afterEach(() => db.close());

async function newCase(title: string): Promise<Case> {
  return (await createCase(caseInput({ title }), ctx())).case;
}

/** Everything of the database, so a refused merge can be shown to have changed nothing. */
async function snapshot() {
  const [cases, notes, attachments, timeline, outbox, followUps] = await Promise.all([
    db.cases.toArray(),
    db.notes.toArray(),
    db.attachments.toArray(),
    db.timeline.toArray(),
    db.outbox.toArray(),
    db.followUps.toArray(),
  ]);
  // Blobs do not compare by content: keep what identifies the file.
  return { cases, notes, attachments: attachments.map(({ blob: _blob, ...meta }) => meta), timeline, outbox, followUps };
}

describe('merging a case with open follow-ups', () => {
  it('is refused with the open follow-ups listed, and nothing of either case moves', async () => {
    const source = await newCase('Duplicate');
    const target = await newCase('Original');
    await addNote(source.id, { body: 'chargeback on the second card', format: 'text' }, ctx());
    await addAttachments(source.id, [Object.assign(new Blob(['%PDF-1.4']), { name: 'invoice.pdf' })], { uploadedBy: 'Bea', db, now: ++now });
    const task = await addFollowUp(source.id, { title: 'Call the bank', dueAt: now + 86_400_000 }, ctx());
    const before = await snapshot();

    const error = await mergeCase(source.id, target.id, ctx()).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(FollowUpsOpenError);
    expect((error as SidecaseError).key).toBe('case.followUps.open');
    expect((error as FollowUpsOpenError).followUps.map((f) => f.id)).toEqual([task.id]);
    expect(await db.cases.get(source.id)).toMatchObject({ state: 'active', version: before.cases.find((c) => c.id === source.id)?.version });
    expect(await db.cases.get(source.id)).not.toHaveProperty('mergedIntoId');
    expect(await db.notes.where('caseId').equals(source.id).count()).toBe(1);
    expect(await db.attachments.where('caseId').equals(source.id).count()).toBe(1);
    expect(await db.notes.where('caseId').equals(target.id).count()).toBe(0);
    expect(await db.attachments.where('caseId').equals(target.id).count()).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it('goes through once the follow-ups are closed', async () => {
    const source = await newCase('Duplicate');
    const target = await newCase('Original');
    await addNote(source.id, { body: 'chargeback on the second card', format: 'text' }, ctx());
    const task = await addFollowUp(source.id, { title: 'Call the bank', dueAt: now + 86_400_000 }, ctx());
    await closeFollowUps([task.id], ctx());

    await mergeCase(source.id, target.id, ctx());

    expect(await db.cases.get(source.id)).toMatchObject({ state: 'cancelled', statusReason: 'merged', mergedIntoId: target.id });
    expect(await db.notes.where('caseId').equals(target.id).count()).toBe(1);
    expect((await listFollowUps(source.id, db))[0]).toMatchObject({ id: task.id, done: true });
  });
});
