/**
 * Resolving a case: a resolution type and text, kept in the case's history of
 * resolutions (which survives reopening). Open follow-ups block it, and the
 * parent/child resolve policy is a setting passed in by the caller.
 */
import { z } from 'zod';
import type { SidecaseDb } from '../db/db';
import { appendOutbox, appendTimeline } from '../db/changes';
import { SidecaseError } from '../errors';
import { RESOLUTION_TEXT_MAX, RESOLUTION_TYPES, type Case, type Resolution } from '../schema';
import { caseSettingsSnapshot, type ParentChildPolicy } from './case-settings';
import { isReadOnly } from './read-only';
import { ALL_TABLES, checkVersion, contextOf, parseDialog, settleOpenFollowUps, type FollowUpsContext } from './transition';
import { putCaseVersion, requireActive, requireCase } from './write';

export const ResolveInput = z.object({
  type: z.enum(RESOLUTION_TYPES, { error: 'case.resolve.needsType' }),
  text: z
    .string({ error: 'case.resolve.needsText' })
    .trim()
    .min(1, 'case.resolve.needsText')
    .max(RESOLUTION_TEXT_MAX, 'case.resolve.textTooLong'),
});
export type ResolveInput = z.input<typeof ResolveInput>;

export interface ResolveContext extends FollowUpsContext {
  /** The parent/child policy from the settings; when absent, the one last read in this context. */
  policy?: ParentChildPolicy;
}

async function activeChildren(db: SidecaseDb, parentId: string): Promise<Case[]> {
  return db.cases
    .where('parentId')
    .equals(parentId)
    .filter((c) => !isReadOnly(c))
    .toArray();
}

/** Active descendants, children before grandchildren, each once. */
async function activeDescendants(db: SidecaseDb, rootId: string): Promise<Case[]> {
  const found: Case[] = [];
  const seen = new Set([rootId]);
  const queue = [rootId];
  while (queue.length > 0) {
    for (const child of await activeChildren(db, queue.shift()!)) {
      if (seen.has(child.id)) continue;
      seen.add(child.id);
      found.push(child);
      queue.push(child.id);
    }
  }
  return found;
}

async function writeResolution(db: SidecaseDb, before: Case, resolution: Resolution, actor: string, now: number, data: object) {
  const after = await putCaseVersion(
    db,
    before,
    { state: 'resolved', statusReason: resolution.type, resolution, resolutions: [...(before.resolutions ?? []), resolution] },
    now,
  );
  await appendTimeline(db, {
    caseId: after.id,
    customerId: after.customerId,
    kind: 'resolved',
    actor,
    at: now,
    data: { type: resolution.type, text: resolution.text, from: { state: before.state, statusReason: before.statusReason }, ...data },
  });
  await appendOutbox(db, { entity: 'case', entityId: after.id, type: 'case.resolved', at: now, data: after });
  return after;
}

/**
 * Resolve an active case with a resolution type and text. Refused while it has
 * open follow-ups (FollowUpsOpenError, `case.followUps.open`) unless
 * `closeFollowUps` closes them first, and under the 'requireChildrenResolved'
 * policy while a child is active (`case.resolve.childrenOpen`). Under
 * 'cascade' its active children are resolved with it, in the same transaction.
 */
export async function resolveCase(id: string, raw: ResolveInput, ctx: ResolveContext): Promise<Case> {
  const input = parseDialog(ResolveInput, raw);
  const { db, now, actor } = contextOf(ctx);
  const policy = ctx.policy ?? caseSettingsSnapshot().parentChildPolicy;
  return db.transaction('rw', ALL_TABLES(db), async () => {
    let before = await requireCase(db, id);
    requireActive(before);
    checkVersion(before, ctx.expectedVersion);
    const resolution: Resolution = { type: input.type, text: input.text, at: now, by: actor };

    let cascade: Case[] = [];
    if (policy === 'requireChildrenResolved' && (await activeChildren(db, id)).length > 0) {
      throw new SidecaseError('case.resolve.childrenOpen');
    }
    if (policy === 'cascade') cascade = await activeDescendants(db, id);
    if (await settleOpenFollowUps(db, [id, ...cascade.map((c) => c.id)], { ...ctx, now })) {
      before = await requireCase(db, id);
      cascade = await Promise.all(cascade.map((c) => requireCase(db, c.id)));
    }

    const after = await writeResolution(db, before, resolution, actor, now, {});
    for (const child of cascade) {
      await writeResolution(db, child, resolution, actor, now, { viaParent: id, parentNumber: before.number });
    }
    return after;
  });
}
