/**
 * Editing an active case's fields. The state changes only through its own
 * transition (resolve, cancel, reopen…), never by editing a field.
 */
import { z } from 'zod';
import { appendOutbox, appendTimeline } from '../db/changes';
import { SidecaseError, ValidationError, fieldErrorsOf } from '../errors';
import { ACTIVE_REASONS, ActiveReason, Description, Id, LIMITS, Origin, Priority, Tags, Title, type Case } from '../schema';
import { caseSettingsSnapshot } from './case-settings';
import { slaDeadlines } from './sla';
import { ALL_TABLES, checkVersion, contextOf, type LifecycleContext } from './transition';
import { putCaseVersion, requireActive, requireCase } from './write';
import { keptEventData, redactFields, unmaskedIn, type RedactionChoice } from '../redaction/apply';

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

const definedOnly = <T extends Record<string, unknown>>(fields: T) => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Edit fields of an active case. Refuses a state change (`case.resolve.notByEdit`
 * for resolving, `case.state.notByEdit` otherwise), fields with their own
 * transition (`case.edit.notEditable`), and any edit of a read-only case
 * (`case.readOnly`). One fieldChanged (or status) event per changed field.
 */
export async function updateCase(
  id: string,
  raw: CasePatch & Record<string, unknown>,
  ctx: LifecycleContext & RedactionChoice,
): Promise<Case> {
  if ('state' in raw) {
    throw new SidecaseError(raw.state === 'resolved' ? 'case.resolve.notByEdit' : 'case.state.notByEdit', 'state');
  }
  if (typeof raw.statusReason === 'string' && !(ACTIVE_REASONS as readonly string[]).includes(raw.statusReason)) {
    throw new SidecaseError('case.resolve.notByEdit', 'statusReason');
  }
  const foreign = Object.keys(raw).find((key) => !EDITABLE.has(key));
  if (foreign) throw new SidecaseError('case.edit.notEditable', foreign);
  // The free-text fields are masked before they are checked, stored or queued (lib/redaction).
  const stored = await contextOf(ctx).db.cases.get(id);
  const alreadyKept = await unmaskedIn([stored?.title, stored?.subject, stored?.description], ctx);
  const keepUnmasked = [...(ctx.keepUnmasked ?? []), ...alreadyKept];
  const redacted = await redactFields({ title: raw.title, subject: raw.subject, description: raw.description }, { ...ctx, keepUnmasked });
  const { fields } = redacted;
  // Only what the agent kept now goes on the timeline; what was kept before already is.
  const kept = redacted.kept.filter((item) => !alreadyKept.includes(item.original));
  const parsed = CasePatch.safeParse({ ...raw, ...definedOnly(fields) });
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
    for (const data of keptEventData(kept)) {
      await appendTimeline(db, { caseId: id, customerId: before.customerId, kind: 'redaction', actor, at: now, data });
    }

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
