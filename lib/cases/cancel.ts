/** Cancelling a case: status reason "cancelled", read-only until reopened. Open follow-ups block it. */
import { appendOutbox, appendTimeline } from '../db/changes';
import type { Case } from '../schema';
import { ALL_TABLES, checkVersion, contextOf, settleOpenFollowUps, type FollowUpsContext } from './transition';
import { putCaseVersion, requireActive, requireCase } from './write';

/**
 * Cancel an active case (status reason "cancelled"). Refused with open
 * follow-ups, unless `closeFollowUps` closes them first.
 */
export async function cancelCase(id: string, ctx: FollowUpsContext): Promise<Case> {
  const { db, now, actor } = contextOf(ctx);
  return db.transaction('rw', ALL_TABLES(db), async () => {
    let before = await requireCase(db, id);
    requireActive(before);
    checkVersion(before, ctx.expectedVersion);
    if (await settleOpenFollowUps(db, [id], { ...ctx, now })) before = await requireCase(db, id);
    const after = await putCaseVersion(db, before, { state: 'cancelled', statusReason: 'cancelled' }, now);
    await appendTimeline(db, {
      caseId: id,
      customerId: after.customerId,
      kind: 'cancelled',
      actor,
      at: now,
      data: { reason: 'cancelled', from: { state: before.state, statusReason: before.statusReason } },
    });
    await appendOutbox(db, { entity: 'case', entityId: id, type: 'case.cancelled', at: now, data: after });
    return after;
  });
}
