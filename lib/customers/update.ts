/**
 * The customer card's inline edit: validated like the quick-create form, the
 * customer written with a timeline event and an outbox entry in one
 * transaction, and the search words of every case of that customer refreshed
 * in the same transaction (a case is found by its customer's name, email and
 * phone, so those words must follow the customer).
 */
import { z } from 'zod';
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { appendOutbox, appendTimeline } from '../db/changes';
import { SidecaseError, ValidationError, fieldErrorsOf } from '../errors';
import { CUSTOMER_KINDS, Customer, Email, LIMITS, Phone } from '../schema';
import { refreshCasesOfCustomer } from '../cases/write';
import { phoneDigits } from '../search/text';
import { customerSearchKeys } from './search-keys';

const text = (max: number, key: string) =>
  z
    .string()
    .transform((value) => value.replace(/\s+/g, ' ').trim())
    .pipe(z.string().max(max, key));

export const CustomerPatch = z.object({
  kind: z.enum(CUSTOMER_KINDS).optional(),
  name: text(LIMITS.nameMax, 'form.customer.name.tooLong').optional(),
  company: text(LIMITS.companyMax, 'form.customer.company.tooLong').optional(),
  emails: z.array(Email).max(20, 'customer.emails.tooMany').optional(),
  phones: z.array(Phone).max(20, 'customer.phones.tooMany').optional(),
});
export type CustomerPatch = z.input<typeof CustomerPatch>;

/**
 * Save the card's changes. Refuses a stale edit (`customer.edit.stale`), an
 * email or phone that already belongs to another customer
 * (`customer.email.taken` / `customer.phone.taken`: no twins), and a customer
 * left without name, company, email and phone (`form.customer.required`).
 */
export async function editCustomer(
  id: string,
  raw: CustomerPatch,
  ctx: { actor: string; now?: number; db?: SidecaseDb; expectedVersion?: number },
): Promise<Customer> {
  const parsed = CustomerPatch.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  const patch = parsed.data;
  const db = ctx.db ?? defaultDb;
  const now = ctx.now ?? Date.now();
  return db.transaction('rw', [db.customers, db.cases, db.timeline, db.outbox], async () => {
    const before = await db.customers.get(id);
    if (!before) throw new SidecaseError('form.customer.notFound');
    if (ctx.expectedVersion !== undefined && before.version !== ctx.expectedVersion) throw new SidecaseError('customer.edit.stale');

    const emails = patch.emails ? [...new Set(patch.emails)] : before.emails;
    const phones = patch.phones ?? before.phones;
    for (const email of emails) {
      const owner = await db.customers.where('emails').equals(email).first();
      if (owner && owner.id !== id) throw new SidecaseError('customer.email.taken', 'emails');
    }
    for (const phone of phones) {
      const digits = phoneDigits(phone);
      const owners = await db.customers.where('searchKeys').equals(digits).toArray();
      if (owners.some((c) => c.id !== id && c.phones.some((p) => phoneDigits(p) === digits))) {
        throw new SidecaseError('customer.phone.taken', 'phones');
      }
    }
    const next = {
      kind: patch.kind ?? before.kind,
      name: patch.name ?? before.name,
      company: patch.company ?? before.company,
      emails,
      phones,
    };
    if (!next.name && !next.company && next.emails.length === 0 && next.phones.length === 0) {
      throw new SidecaseError('form.customer.required', 'name');
    }
    const changed = (Object.keys(next) as Array<keyof typeof next>).filter(
      (key) => JSON.stringify(next[key]) !== JSON.stringify(before[key]),
    );
    if (changed.length === 0) return before;

    const after = Customer.parse({
      ...before,
      ...next,
      searchKeys: customerSearchKeys(next),
      updatedAt: Math.max(now, before.updatedAt),
      version: before.version + 1,
    } satisfies Customer);
    await db.customers.put(after);
    await appendTimeline(db, {
      customerId: id,
      kind: 'fieldChanged',
      actor: ctx.actor,
      at: now,
      data: Object.fromEntries(changed.map((key) => [key, [before[key], after[key]]])),
    });
    await appendOutbox(db, { entity: 'customer', entityId: id, type: 'customer.updated', at: now, data: after });
    // The customer's words and label are its cases' too.
    await refreshCasesOfCustomer(db, after);
    return after;
  });
}
