/** Reopening a resolved or cancelled case; its resolution history stays. */
import { appendOutbox, appendTimeline } from '../db/changes';
import { SidecaseError } from '../errors';
import type { Case } from '../schema';
import { isReadOnly } from './read-only';
import { ALL_TABLES, checkVersion, contextOf, type LifecycleContext } from './transition';
import { putCaseVersion, requireCase } from './write';

/**
 * Make a resolved or cancelled case active again. Its resolution history stays;
 * a case merged into another stays closed (`case.reopen.merged`): its notes
 * and attachments now live on the other case.
 */
export async function reopenCase(id: string, ctx: LifecycleContext): Promise<Case> {
  const { db, now, actor } = contextOf(ctx);
  return db.transaction('rw', ALL_TABLES(db), async () => {
    const before = await requireCase(db, id);
    if (!isReadOnly(before)) throw new SidecaseError('case.reopen.notClosed');
    if (before.statusReason === 'merged') throw new SidecaseError('case.reopen.merged');
    checkVersion(before, ctx.expectedVersion);
    const after = await putCaseVersion(db, before, { state: 'active', statusReason: 'inProgress', resolution: undefined }, now);
    await appendTimeline(db, {
      caseId: id,
      customerId: after.customerId,
      kind: 'reopened',
      actor,
      at: now,
      data: { from: { state: before.state, statusReason: before.statusReason } },
    });
    await appendOutbox(db, { entity: 'case', entityId: id, type: 'case.reopened', at: now, data: after });
    return after;
  });
}
