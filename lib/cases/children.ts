/** Child cases: created under an active parent, with the parent's customer unless another is given. */
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { appendTimeline } from '../db/changes';
import { SidecaseError } from '../errors';
import type { Case, CaseInputRaw } from '../schema';
import { createMaskedCase, maskCaseInput, type CreateCaseExtras, type CreatedCase, type WriteContext } from './create';
import { contextOf } from './transition';
import { requireActive, requireCase } from './write';

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
  // Masked before the transaction: the detectors load lazily, and an await
  // outside IndexedDB inside it would let it commit half-way.
  const masked = await maskCaseInput({ ...raw, customer: raw.customer ?? { name: '', email: '', phone: '', company: '' } }, extras);
  return db.transaction('rw', [db.cases, db.customers, db.timeline, db.outbox, db.meta, db.notes], async () => {
    const parent = await requireCase(db, parentId);
    requireActive(parent);
    const customer = raw.customer ?? { id: parent.customerId, name: '', email: '', phone: '', company: '' };
    const created = await createMaskedCase({ ...masked, raw: { ...masked.raw, customer, parentId } }, { ...ctx, db, now }, extras);
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
