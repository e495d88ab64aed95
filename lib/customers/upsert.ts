/**
 * Customer matching for case creation: the customer the agent picked, else the
 * stored customer with the same email or phone, else a new one. No twins: the
 * same address typed twice finds the first record.
 *
 * Runs inside the caller's transaction (customers, timeline, outbox).
 */
import type { SidecaseDb } from '../db/db';
import { appendOutbox, appendTimeline } from '../db/changes';
import { SidecaseError } from '../errors';
import { newId } from '../ids';
import { Customer, type CustomerInput } from '../schema';
import { phoneDigits } from '../search/text';
import { customerSearchKeys } from './search-keys';

export async function findCustomerByContact(
  db: SidecaseDb,
  contact: { email?: string; phone?: string },
): Promise<Customer | undefined> {
  if (contact.email) {
    const byEmail = await db.customers.where('emails').equals(contact.email.toLowerCase()).first();
    if (byEmail) return byEmail;
  }
  if (contact.phone) {
    const digits = phoneDigits(contact.phone);
    const candidates = await db.customers.where('searchKeys').equals(digits).toArray();
    return candidates.find((c) => c.phones.some((p) => phoneDigits(p) === digits));
  }
  return undefined;
}

export interface UpsertResult {
  customer: Customer;
  isNew: boolean;
  /**
   * The customer's writes, issued and not yet awaited: the caller issues its
   * own next to them and awaits all at once (one round trip on Save's path
   * instead of two). A failed write still aborts the caller's transaction.
   */
  written: Promise<unknown>;
}

export async function upsertCustomerForCase(
  db: SidecaseDb,
  input: CustomerInput,
  ctx: { actor: string; now: number },
): Promise<UpsertResult> {
  const existing = input.id
    ? await db.customers.get(input.id)
    : await findCustomerByContact(db, { email: input.email, phone: input.phone });
  if (input.id && !existing) throw new SidecaseError('form.customer.notFound', 'customer.name');

  if (existing) {
    // Fill in what the stored customer lacks; never overwrite what it has.
    const emails = input.email && !existing.emails.includes(input.email) ? [...existing.emails, input.email] : existing.emails;
    const phones =
      input.phone && !existing.phones.some((p) => phoneDigits(p) === phoneDigits(input.phone))
        ? [...existing.phones, input.phone]
        : existing.phones;
    const name = existing.name || input.name;
    const company = existing.company || input.company;
    const changed =
      emails !== existing.emails || phones !== existing.phones || name !== existing.name || company !== existing.company;
    if (!changed) return { customer: existing, isNew: false, written: Promise.resolve() };
    const updated = Customer.parse({
      ...existing,
      name,
      company,
      emails,
      phones,
      searchKeys: customerSearchKeys({ name, company, emails, phones }),
      updatedAt: ctx.now,
      version: existing.version + 1,
    });
    const written = Promise.all([
      db.customers.put(updated),
      appendOutbox(db, { entity: 'customer', entityId: updated.id, type: 'customer.updated', at: ctx.now, data: updated }),
    ]);
    return { customer: updated, isNew: false, written };
  }

  const emails = input.email ? [input.email] : [];
  const phones = input.phone ? [input.phone] : [];
  const customer = Customer.parse({
    id: newId(ctx.now),
    kind: input.name || emails.length || phones.length ? 'contact' : 'account',
    name: input.name,
    emails,
    phones,
    company: input.company,
    searchKeys: customerSearchKeys({ name: input.name, company: input.company, emails, phones }),
    createdAt: ctx.now,
    updatedAt: ctx.now,
    version: 1,
  });
  // Issued together: IndexedDB runs them in order within the transaction, and
  // the caller waits for one round trip instead of three.
  const written = Promise.all([
    db.customers.add(customer),
    appendTimeline(db, { customerId: customer.id, kind: 'customerCreated', actor: ctx.actor, at: ctx.now, data: {} }),
    appendOutbox(db, { entity: 'customer', entityId: customer.id, type: 'customer.created', at: ctx.now, data: customer }),
  ]);
  return { customer, isNew: true, written };
}
