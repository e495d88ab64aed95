/**
 * Case lifecycle after creation: edit, resolve, cancel, merge, reassign,
 * reopen, child cases. The desks' rules, enforced here rather than in the UI:
 *
 * - the state changes only through its transition (never by editing a field);
 * - a resolved or cancelled case is read-only until reopened;
 * - resolving needs a resolution type and text, and the history of resolutions
 *   survives reopening;
 * - open follow-ups block resolving, cancelling and merging (the error carries
 *   them so the UI can offer to close them);
 * - the parent/child resolve policy is a setting passed in by the caller.
 *
 * Each transition validates its input with zod, then in ONE transaction writes
 * the record(s), a timeline event (old → new, actor, time) and an outbox entry.
 */
import { z } from 'zod';
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { appendOutbox, appendTimeline } from '../db/changes';
import { SidecaseError, ValidationError, fieldErrorsOf } from '../errors';
import {
  ACTIVE_REASONS,
  ActiveReason,
  Attachment,
  Description,
  Id,
  Note,
  Origin,
  Priority,
  RESOLUTION_TEXT_MAX,
  RESOLUTION_TYPES,
  Tags,
  Title,
  LIMITS,
  type Case,
  type CaseInputRaw,
  type Resolution,
} from '../schema';
import { caseSettingsSnapshot, type ParentChildPolicy } from './case-settings';
import { createCase, type CreateCaseExtras, type CreatedCase, type WriteContext } from './create';
import { slaDeadlines } from './sla';
import { noteWordsOfCase, putCaseVersion, refuseOpenFollowUps, requireActive, requireCase } from './write';

export { FollowUpsOpenError, isReadOnly } from './write';

export { DEFAULT_PARENT_CHILD_POLICY, PARENT_CHILD_POLICIES, ParentChildPolicy } from './case-settings';

export interface LifecycleContext extends WriteContext {
  /** The version the agent was looking at: a newer stored version refuses the edit (`case.edit.stale`). */
  expectedVersion?: number;
}

const ALL_TABLES = (db: SidecaseDb) => [db.cases, db.customers, db.timeline, db.outbox, db.followUps];

function contextOf(ctx: WriteContext) {
  return { db: ctx.db ?? defaultDb, now: ctx.now ?? Date.now(), actor: ctx.actor };
}

/** The first problem of a dialog's input, as a SidecaseError with its field as path. */
function parseDialog<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const [path, key] = Object.entries(fieldErrorsOf(parsed.error))[0] ?? ['', 'form.invalid'];
  throw new SidecaseError(key, path || undefined);
}

function checkVersion(record: Case, expected: number | undefined) {
  if (expected !== undefined && record.version !== expected) throw new SidecaseError('case.edit.stale');
}

// ---------------------------------------------------------------- edit

const optionalText = (max: number, key: string) =>
  z
    .string()
    .transform((value) => value.replace(/\s+/g, ' ').trim())
    .pipe(z.string().max(max, key));

/** The fields an edit may change. State, owner and the rest have their own transitions. */
export const CasePatch = z.object({
  title: Title.optional(),
  subject: optionalText(LIMITS.subjectMax, 'form.subject.tooLong').optional(),
  origin: Origin.optional(),
  product: optionalText(LIMITS.productMax, 'form.product.tooLong').optional(),
  priority: Priority.optional(),
  statusReason: ActiveReason.optional(),
  tags: Tags.optional(),
  description: Description.optional(),
  customerId: Id.optional(),
});
export type CasePatch = z.input<typeof CasePatch>;
const EDITABLE = new Set(Object.keys(CasePatch.shape));

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Edit fields of an active case. Refuses a state change (`case.resolve.notByEdit`
 * for resolving, `case.state.notByEdit` otherwise), fields with their own
 * transition (`case.edit.notEditable`), and any edit of a read-only case
 * (`case.readOnly`). One fieldChanged (or status) event per changed field.
 */
export async function updateCase(id: string, raw: CasePatch & Record<string, unknown>, ctx: LifecycleContext): Promise<Case> {
  if ('state' in raw) {
    throw new SidecaseError(raw.state === 'resolved' ? 'case.resolve.notByEdit' : 'case.state.notByEdit', 'state');
  }
  if (typeof raw.statusReason === 'string' && !(ACTIVE_REASONS as readonly string[]).includes(raw.statusReason)) {
    throw new SidecaseError('case.resolve.notByEdit', 'statusReason');
  }
  const foreign = Object.keys(raw).find((key) => !EDITABLE.has(key));
  if (foreign) throw new SidecaseError('case.edit.notEditable', foreign);
  const parsed = CasePatch.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  const patch = parsed.data;
  const { db, now, actor } = contextOf(ctx);

  return db.transaction('rw', ALL_TABLES(db), async () => {
    const before = await requireCase(db, id);
    requireActive(before);
    checkVersion(before, ctx.expectedVersion);

    const changes: Partial<Case> = {};
    const changed: Array<[keyof typeof patch, unknown, unknown]> = [];
    for (const [key, value] of Object.entries(patch) as Array<[keyof typeof patch, unknown]>) {
      if (value === undefined || same(before[key], value)) continue;
      changed.push([key, before[key], value]);
      Object.assign(changes, { [key]: value });
    }
    if (changed.length === 0) return before;

    if (patch.tags && changes.tags) changes.tagKeys = patch.tags.map((tag) => tag.toLocaleLowerCase());
    if (changes.customerId && !(await db.customers.get(changes.customerId))) {
      throw new SidecaseError('form.customer.notFound', 'customerId');
    }
    if (changes.priority && before.sla) {
      // A new priority brings its own targets, counted from the case's creation.
      const deadlines = slaDeadlines(changes.priority, before.createdAt, ctx.slaTargets ?? caseSettingsSnapshot().sla);
      changes.sla = { ...before.sla, ...deadlines };
    }

    const after = await putCaseVersion(db, before, changes, now);
    for (const [field, from, to] of changed) {
      await appendTimeline(db, {
        caseId: id,
        customerId: after.customerId,
        kind: field === 'statusReason' ? 'status' : 'fieldChanged',
        actor,
        at: now,
        data: { field, from, to },
      });
    }
    await appendOutbox(db, { entity: 'case', entityId: id, type: 'case.updated', at: now, data: after });
    return after;
  });
}

// ---------------------------------------------------------------- resolve

export const ResolveInput = z.object({
  type: z.enum(RESOLUTION_TYPES, { error: 'case.resolve.needsType' }),
  text: z
    .string({ error: 'case.resolve.needsText' })
    .trim()
    .min(1, 'case.resolve.needsText')
    .max(RESOLUTION_TEXT_MAX, 'case.resolve.textTooLong'),
});
export type ResolveInput = z.input<typeof ResolveInput>;

export interface ResolveContext extends LifecycleContext {
  /** The parent/child policy from the settings; when absent, the one last read in this context. */
  policy?: ParentChildPolicy;
}

async function activeChildren(db: SidecaseDb, parentId: string): Promise<Case[]> {
  return db.cases
    .where('parentId')
    .equals(parentId)
    .filter((c) => c.state === 'active')
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
 * open follow-ups (FollowUpsOpenError, `case.followUps.open`), and under the
 * 'requireChildrenResolved' policy while a child is active
 * (`case.resolve.childrenOpen`). Under 'cascade' its active children are
 * resolved with it, in the same transaction.
 */
export async function resolveCase(id: string, raw: ResolveInput, ctx: ResolveContext): Promise<Case> {
  const input = parseDialog(ResolveInput, raw);
  const { db, now, actor } = contextOf(ctx);
  const policy = ctx.policy ?? caseSettingsSnapshot().parentChildPolicy;
  return db.transaction('rw', ALL_TABLES(db), async () => {
    const before = await requireCase(db, id);
    requireActive(before);
    checkVersion(before, ctx.expectedVersion);
    const resolution: Resolution = { type: input.type, text: input.text, at: now, by: actor };

    let cascade: Case[] = [];
    if (policy === 'requireChildrenResolved' && (await activeChildren(db, id)).length > 0) {
      throw new SidecaseError('case.resolve.childrenOpen');
    }
    if (policy === 'cascade') cascade = await activeDescendants(db, id);
    await refuseOpenFollowUps(db, [id, ...cascade.map((c) => c.id)]);

    const after = await writeResolution(db, before, resolution, actor, now, {});
    for (const child of cascade) {
      await writeResolution(db, child, resolution, actor, now, { viaParent: id, parentNumber: before.number });
    }
    return after;
  });
}

// ---------------------------------------------------------------- cancel

/** Cancel an active case (status reason "cancelled"). Refused with open follow-ups. */
export async function cancelCase(id: string, ctx: LifecycleContext): Promise<Case> {
  const { db, now, actor } = contextOf(ctx);
  return db.transaction('rw', ALL_TABLES(db), async () => {
    const before = await requireCase(db, id);
    requireActive(before);
    checkVersion(before, ctx.expectedVersion);
    await refuseOpenFollowUps(db, [id]);
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

// ---------------------------------------------------------------- merge

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
 * follow-ups on the source.
 */
export async function mergeCase(sourceId: string, targetId: string, ctx: LifecycleContext): Promise<MergeResult> {
  if (sourceId === targetId) throw new SidecaseError('case.merge.self');
  const { db, now, actor } = contextOf(ctx);
  return db.transaction('rw', [...ALL_TABLES(db), db.notes, db.attachments], async () => {
    const source = await requireCase(db, sourceId);
    requireActive(source);
    checkVersion(source, ctx.expectedVersion);
    const target = await db.cases.get(targetId);
    if (!target) throw new SidecaseError('case.merge.targetNotFound');
    if (target.state !== 'active') throw new SidecaseError('case.merge.targetClosed');
    await refuseOpenFollowUps(db, [sourceId]);

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

// ---------------------------------------------------------------- reassign

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

// ---------------------------------------------------------------- reopen

/**
 * Make a resolved or cancelled case active again. Its resolution history stays;
 * a case merged into another stays closed (`case.reopen.merged`): its notes
 * and attachments now live on the other case.
 */
export async function reopenCase(id: string, ctx: LifecycleContext): Promise<Case> {
  const { db, now, actor } = contextOf(ctx);
  return db.transaction('rw', ALL_TABLES(db), async () => {
    const before = await requireCase(db, id);
    if (before.state === 'active') throw new SidecaseError('case.reopen.notClosed');
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

// ---------------------------------------------------------------- child cases

export type ChildCaseInput = Omit<CaseInputRaw, 'customer' | 'parentId'> & { customer?: CaseInputRaw['customer'] };

/** What "New child case" pre-fills in the form: the parent's customer, origin, priority and product. */
export async function childCaseDefaults(parentId: string, db: SidecaseDb = defaultDb) {
  const parent = await db.cases.get(parentId);
  if (!parent) throw new SidecaseError('case.notFound');
  const customer = await db.customers.get(parent.customerId);
  return {
    parentId,
    origin: parent.origin,
    priority: parent.priority,
    product: parent.product,
    customer: {
      id: parent.customerId,
      name: customer?.name ?? '',
      email: customer?.emails[0] ?? '',
      phone: customer?.phones[0] ?? '',
      company: customer?.company ?? '',
    },
  };
}

/**
 * Create a child of an active case; without a customer in the input it gets
 * the parent's. The child and the parent's "child added" event are one write.
 */
export async function createChildCase(
  parentId: string,
  raw: ChildCaseInput,
  ctx: WriteContext,
  extras: CreateCaseExtras = {},
): Promise<CreatedCase> {
  const { db, now, actor } = contextOf(ctx);
  return db.transaction('rw', [db.cases, db.customers, db.timeline, db.outbox, db.meta, db.notes], async () => {
    const parent = await requireCase(db, parentId);
    requireActive(parent);
    const customer = raw.customer ?? { id: parent.customerId, name: '', email: '', phone: '', company: '' };
    const created = await createCase({ ...raw, customer, parentId }, { ...ctx, db, now }, extras);
    await appendTimeline(db, {
      caseId: parentId,
      customerId: parent.customerId,
      kind: 'child',
      actor,
      at: now,
      data: { childId: created.case.id, number: created.case.number, title: created.case.title },
    });
    return created;
  });
}

/** A case's children, newest first. */
export async function listChildCases(parentId: string, db: SidecaseDb = defaultDb): Promise<Case[]> {
  const children = await db.cases.where('parentId').equals(parentId).toArray();
  return children.sort((a, b) => b.createdAt - a.createdAt);
}
