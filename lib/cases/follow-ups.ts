/**
 * Follow-ups: tasks with a due date on a case. Open ones block resolving,
 * cancelling and merging the case (lifecycle.ts); when the agent accepts the
 * offer to close them, the transition closes them with `closeFollowUps` inside
 * its own transaction (its `closeFollowUps: true` option, transition.ts).
 *
 * Follow-ups travel to the backend as part of their case: each change bumps
 * the case's version and appends a `case.updated` entry whose data carries the
 * case's follow-ups.
 */
import { z } from 'zod';
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { appendOutbox, appendTimeline } from '../db/changes';
import { SidecaseError } from '../errors';
import { newId } from '../ids';
import { FOLLOW_UP_TITLE_MAX, FollowUp, Timestamp, type Case } from '../schema';
import type { WriteContext } from './create';
import { putCaseVersion, requireActiveCase } from './write';

export const FollowUpInput = z.object({
  title: z
    .string({ error: 'case.followUp.titleRequired' })
    .transform((value) => value.replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, 'case.followUp.titleRequired').max(FOLLOW_UP_TITLE_MAX, 'case.followUp.titleTooLong')),
  dueAt: Timestamp.or(z.undefined()).refine((v) => v !== undefined, 'case.followUp.dueRequired'),
});
export type FollowUpInput = z.input<typeof FollowUpInput>;

async function caseChanged(db: SidecaseDb, record: Case, now: number) {
  const after = await putCaseVersion(db, record, {}, now);
  const followUps = await db.followUps.where('caseId').equals(record.id).toArray();
  await appendOutbox(db, { entity: 'case', entityId: record.id, type: 'case.updated', at: now, data: { ...after, followUps } });
}

export async function addFollowUp(caseId: string, raw: FollowUpInput, ctx: WriteContext): Promise<FollowUp> {
  const parsed = FollowUpInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SidecaseError(issue?.message.includes('.') ? issue.message : 'case.followUp.invalid', String(issue?.path[0] ?? ''));
  }
  const db = ctx.db ?? defaultDb;
  const now = ctx.now ?? Date.now();
  return db.transaction('rw', [db.cases, db.customers, db.followUps, db.timeline, db.outbox], async () => {
    const record = await requireActiveCase(db, caseId);
    const followUp = FollowUp.parse({
      id: newId(now),
      caseId,
      title: parsed.data.title,
      dueAt: parsed.data.dueAt!,
      done: false,
      createdBy: ctx.actor,
      createdAt: now,
      updatedAt: now,
      version: 1,
    } satisfies FollowUp);
    await db.followUps.add(followUp);
    await appendTimeline(db, {
      caseId,
      kind: 'followUp',
      actor: ctx.actor,
      at: now,
      data: { action: 'added', followUpId: followUp.id, title: followUp.title, dueAt: followUp.dueAt },
    });
    await caseChanged(db, record, now);
    return followUp;
  });
}

/** Close several follow-ups at once (the "close them and resolve" offer). Closed ones stay closed. */
export async function closeFollowUps(ids: readonly string[], ctx: WriteContext): Promise<FollowUp[]> {
  const db = ctx.db ?? defaultDb;
  const now = ctx.now ?? Date.now();
  return db.transaction('rw', [db.cases, db.customers, db.followUps, db.timeline, db.outbox], async () => {
    const found = await db.followUps.bulkGet([...ids]);
    const closed: FollowUp[] = [];
    const cases = new Map<string, Case>();
    for (const before of found) {
      if (!before) throw new SidecaseError('case.followUp.notFound');
      if (before.done) continue;
      if (!cases.has(before.caseId)) cases.set(before.caseId, await requireActiveCase(db, before.caseId));
      const after = FollowUp.parse({
        ...before,
        done: true,
        doneAt: now,
        doneBy: ctx.actor,
        updatedAt: Math.max(now, before.updatedAt),
        version: before.version + 1,
      } satisfies FollowUp);
      await db.followUps.put(after);
      await appendTimeline(db, {
        caseId: after.caseId,
        kind: 'followUp',
        actor: ctx.actor,
        at: now,
        data: { action: 'completed', followUpId: after.id, title: after.title },
      });
      closed.push(after);
    }
    for (const record of cases.values()) await caseChanged(db, record, now);
    return closed;
  });
}

export async function completeFollowUp(id: string, ctx: WriteContext): Promise<FollowUp | undefined> {
  return (await closeFollowUps([id], ctx))[0];
}

/** A case's follow-ups: open ones first, soonest due first; then closed ones, last closed first. */
export async function listFollowUps(caseId: string, db: SidecaseDb = defaultDb): Promise<FollowUp[]> {
  const all = await db.followUps.where('caseId').equals(caseId).toArray();
  return all.sort((a, b) =>
    a.done !== b.done ? (a.done ? 1 : -1) : a.done ? (b.doneAt ?? 0) - (a.doneAt ?? 0) : a.dueAt - b.dueAt,
  );
}

export function hasOpenFollowUps(followUps: readonly FollowUp[]): boolean {
  return followUps.some((f) => !f.done);
}
