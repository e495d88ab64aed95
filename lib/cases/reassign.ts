/** Reassigning a case to another agent and/or team, recorded on its timeline. */
import { z } from 'zod';
import { appendOutbox, appendTimeline } from '../db/changes';
import type { Case } from '../schema';
import { ALL_TABLES, checkVersion, contextOf, parseDialog, type LifecycleContext } from './transition';
import { putCaseVersion, requireActive, requireCase } from './write';

export const ReassignInput = z
  .object({
    owner: z.string().trim().max(200, 'case.reassign.ownerTooLong').optional(),
    team: z.string().trim().max(200, 'case.reassign.teamTooLong').optional(),
  })
  .refine((input) => input.owner !== undefined || input.team !== undefined, { message: 'case.reassign.nothing', path: ['owner'] })
  .refine((input) => input.owner !== '', { message: 'case.reassign.ownerRequired', path: ['owner'] });
export type ReassignInput = z.input<typeof ReassignInput>;

/** Give an active case to another agent and/or team (an empty team clears it). */
export async function reassignCase(id: string, raw: ReassignInput, ctx: LifecycleContext): Promise<Case> {
  const input = parseDialog(ReassignInput, raw);
  const { db, now, actor } = contextOf(ctx);
  return db.transaction('rw', ALL_TABLES(db), async () => {
    const before = await requireCase(db, id);
    requireActive(before);
    checkVersion(before, ctx.expectedVersion);
    const owner = input.owner ?? before.owner;
    const team = input.team === undefined ? before.team : input.team || undefined;
    if (owner === before.owner && team === before.team) return before;
    const after = await putCaseVersion(db, before, { owner, team }, now);
    await appendTimeline(db, {
      caseId: id,
      customerId: after.customerId,
      kind: 'owner',
      actor,
      at: now,
      data: { from: { owner: before.owner, team: before.team ?? null }, to: { owner, team: team ?? null } },
    });
    await appendOutbox(db, { entity: 'case', entityId: id, type: 'case.reassigned', at: now, data: after });
    return after;
  });
}
