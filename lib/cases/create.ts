/**
 * createCase: the one way a case comes into being.
 *
 * Validates the agent's input with the same zod schema the form uses, then in
 * ONE read-write transaction: finds or creates the customer, draws the case
 * number, writes the case, its "created" timeline event and its outbox entry.
 * A failure anywhere rolls back all of it: no case without its timeline, no
 * change that sync would never see.
 */
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { appendOutbox, appendTimeline } from '../db/changes';
import { ValidationError, fieldErrorsOf } from '../errors';
import { newId } from '../ids';
import { Case, CaseInput, type CaseInputRaw, type Customer } from '../schema';
import { upsertCustomerForCase } from '../customers/upsert';
import { nextCaseNumber } from './numbering';

export interface WriteContext {
  /** Who does it: the agent's name from the options. */
  actor: string;
  now?: number;
  db?: SidecaseDb;
}

export interface CreatedCase {
  case: Case;
  customer: Customer;
  isNewCustomer: boolean;
}

/** Parse the agent's input, throwing a ValidationError with one message key per field. */
export function validateCaseInput(raw: CaseInputRaw): CaseInput {
  const parsed = CaseInput.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  return parsed.data;
}

export async function createCase(raw: CaseInputRaw, ctx: WriteContext): Promise<CreatedCase> {
  const input = validateCaseInput(raw);
  const db = ctx.db ?? defaultDb;
  const now = ctx.now ?? Date.now();
  return db.transaction('rw', [db.cases, db.customers, db.timeline, db.outbox, db.meta], async () => {
    const { customer, isNew } = await upsertCustomerForCase(db, input.customer, { actor: ctx.actor, now });
    const number = await nextCaseNumber(db);
    const record = Case.parse({
      id: newId(now),
      number,
      title: input.title,
      customerId: customer.id,
      subject: input.subject,
      origin: input.origin,
      product: input.product,
      priority: input.priority,
      state: 'active',
      statusReason: 'inProgress',
      owner: ctx.actor,
      tags: input.tags,
      tagKeys: input.tags.map((tag) => tag.toLocaleLowerCase()),
      description: input.description,
      parentId: input.parentId,
      source: input.source ?? { kind: 'manual' },
      createdAt: now,
      updatedAt: now,
      version: 1,
    } satisfies Case);
    await db.cases.add(record);
    await appendTimeline(db, {
      caseId: record.id,
      customerId: customer.id,
      kind: 'created',
      actor: ctx.actor,
      at: now,
      data: { number, title: record.title, priority: record.priority, origin: record.origin },
    });
    await appendOutbox(db, { entity: 'case', entityId: record.id, type: 'case.created', at: now, data: record });
    return { case: record, customer, isNewCustomer: isNew };
  });
}
