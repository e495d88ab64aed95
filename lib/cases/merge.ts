/**
 * Merging a case into another: the source is cancelled as merged, its notes
 * and attachments move to the target, and both timelines say so.
 */
import { appendOutbox, appendTimeline } from '../db/changes';
import { SidecaseError } from '../errors';
import { Attachment, Note, type Case } from '../schema';
import { isReadOnly } from './read-only';
import { ALL_TABLES, checkVersion, contextOf, settleOpenFollowUps, type FollowUpsContext } from './transition';
import { noteWordsOfCase, putCaseVersion, requireActive, requireCase } from './write';

export interface MergeResult {
  source: Case;
  target: Case;
  movedNoteIds: string[];
  movedAttachmentIds: string[];
}

/**
 * Cancel `sourceId` as merged into `targetId`: its notes and attachments move
 * to the target and both timelines say so. Refused: merging a case into
 * itself (`case.merge.self`), from a read-only case (`case.readOnly`), into a
 * resolved or cancelled case (`case.merge.targetClosed`), or with open
 * follow-ups on the source (unless `closeFollowUps` closes them first).
 */
export async function mergeCase(sourceId: string, targetId: string, ctx: FollowUpsContext): Promise<MergeResult> {
  if (sourceId === targetId) throw new SidecaseError('case.merge.self');
  const { db, now, actor } = contextOf(ctx);
  return db.transaction('rw', [...ALL_TABLES(db), db.notes, db.attachments], async () => {
    let source = await requireCase(db, sourceId);
    requireActive(source);
    checkVersion(source, ctx.expectedVersion);
    const target = await db.cases.get(targetId);
    if (!target) throw new SidecaseError('case.merge.targetNotFound');
    if (isReadOnly(target)) throw new SidecaseError('case.merge.targetClosed');
    if (await settleOpenFollowUps(db, [sourceId], { ...ctx, now })) source = await requireCase(db, sourceId);

    const notes = await db.notes.where('caseId').equals(sourceId).toArray();
    for (const before of notes) {
      const note = Note.parse({ ...before, caseId: targetId, updatedAt: Math.max(now, before.updatedAt), version: before.version + 1 } satisfies Note);
      await db.notes.put(note);
      await appendOutbox(db, { entity: 'note', entityId: note.id, type: 'note.updated', at: now, data: note });
    }
    const attachments = await db.attachments.where('caseId').equals(sourceId).toArray();
    for (const before of attachments) {
      const moved = Attachment.parse({ ...before, caseId: targetId });
      await db.attachments.put(moved);
      const { blob: _blob, ...meta } = moved;
      await appendOutbox(db, { entity: 'attachment', entityId: moved.id, type: 'attachment.updated', at: now, data: meta });
    }
    const counts = { notes: notes.length, attachments: attachments.length };

    const mergedSource = await putCaseVersion(
      db,
      source,
      { state: 'cancelled', statusReason: 'merged', mergedIntoId: targetId, noteWords: [] },
      now,
    );
    const touchedTarget = await putCaseVersion(db, target, { noteWords: await noteWordsOfCase(db, targetId) }, now);
    await appendTimeline(db, {
      caseId: sourceId,
      customerId: source.customerId,
      kind: 'merged',
      actor,
      at: now,
      data: { direction: 'into', caseId: targetId, number: target.number, ...counts },
    });
    await appendTimeline(db, {
      caseId: targetId,
      customerId: target.customerId,
      kind: 'merged',
      actor,
      at: now,
      data: { direction: 'from', caseId: sourceId, number: source.number, ...counts },
    });
    await appendOutbox(db, { entity: 'case', entityId: sourceId, type: 'case.merged', at: now, data: mergedSource });
    await appendOutbox(db, { entity: 'case', entityId: targetId, type: 'case.updated', at: now, data: touchedTarget });
    return {
      source: mergedSource,
      target: touchedTarget,
      movedNoteIds: notes.map((n) => n.id),
      movedAttachmentIds: attachments.map((a) => a.id),
    };
  });
}
