/**
 * What every lifecycle transition shares (edit.ts, resolve.ts, cancel.ts,
 * merge.ts, reassign.ts, reopen.ts, children.ts): the context it runs in, the
 * tables its one transaction spans, the dialog's input check, the stale-version
 * check and the open follow-ups that block resolving, cancelling and merging.
 */
import type { z } from 'zod';
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { SidecaseError, fieldErrorsOf } from '../errors';
import type { Case } from '../schema';
import type { WriteContext } from './create';
import { closeFollowUps } from './follow-ups';
import { openFollowUpsOf, refuseOpenFollowUps } from './write';

export interface LifecycleContext extends WriteContext {
  /** The version the agent was looking at: a newer stored version refuses the edit (`case.edit.stale`). */
  expectedVersion?: number;
}

/** The context of a transition that open follow-ups block (resolve, cancel, merge). */
export interface FollowUpsContext extends LifecycleContext {
  /**
   * The agent accepted the offer to close the open follow-ups that block the
   * transition ("Close them and resolve"): they are closed first, in the same
   * transaction, so either both happen or neither does. Without it they refuse
   * the transition with FollowUpsOpenError.
   */
  closeFollowUps?: boolean;
}

export const ALL_TABLES = (db: SidecaseDb) => [db.cases, db.customers, db.timeline, db.outbox, db.followUps];

export function contextOf(ctx: WriteContext) {
  return { db: ctx.db ?? defaultDb, now: ctx.now ?? Date.now(), actor: ctx.actor };
}

/** The first problem of a dialog's input, as a SidecaseError with its field as path. */
export function parseDialog<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const [path, key] = Object.entries(fieldErrorsOf(parsed.error))[0] ?? ['', 'form.invalid'];
  throw new SidecaseError(key, path || undefined);
}

export function checkVersion(record: Case, expected: number | undefined) {
  if (expected !== undefined && record.version !== expected) throw new SidecaseError('case.edit.stale');
}

/**
 * The open follow-ups of these cases refuse the transition (FollowUpsOpenError,
 * carrying them), unless `closeFollowUps` says the agent accepted to close
 * them: then they are closed here, inside the caller's transaction. Returns
 * whether any was closed: each closing gives its case a new version, which the
 * caller reads again before writing the next.
 */
export async function settleOpenFollowUps(
  db: SidecaseDb,
  caseIds: readonly string[],
  ctx: FollowUpsContext & { now: number },
): Promise<boolean> {
  if (!ctx.closeFollowUps) {
    await refuseOpenFollowUps(db, caseIds);
    return false;
  }
  const open = (await Promise.all(caseIds.map((id) => openFollowUpsOf(db, id)))).flat();
  if (open.length === 0) return false;
  await closeFollowUps(
    open.map((f) => f.id),
    { actor: ctx.actor, db, now: ctx.now },
  );
  return true;
}
