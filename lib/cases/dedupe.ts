/**
 * Duplicate cases, as the desks avoid them: while the agent fills the form,
 * the open cases of its customer (the one picked, else the one stored with
 * the form's email or phone) are offered with "Add to this case" beside
 * "Create new case". This file decides when to look and what to offer; the
 * panel's DuplicateOffer only shows it.
 *
 * The offer sits in the form, so the panel loads this file for its first
 * paint: it imports nothing that reaches the database or the phone library
 * until a lookup is worth making (an empty form loads no database code).
 */
import type { SidecaseDb } from '../db/db';
import type { Case } from '../schema';
import { isReadOnly } from './read-only';

/** What the form holds of its customer. */
export interface CustomerLookup {
  /** The stored customer the agent picked, if any. */
  id?: string;
  email: string;
  phone: string;
}

/** Fewer digits than this: a phone still being typed, not worth a lookup. */
export const LOOKUP_PHONE_MIN_DIGITS = 7;

const digitCount = (phone: string) => phone.replace(/\D/g, '').length;

/**
 * Whether the customer fields say enough to look for open cases: a picked
 * customer, something shaped like a whole address, or a phone of at least
 * LOOKUP_PHONE_MIN_DIGITS digits. Checked on every keystroke, so no database.
 */
export function isWorthLookingUp(customer: CustomerLookup): boolean {
  return Boolean(customer.id) || /\S@\S+\.\S/.test(customer.email) || digitCount(customer.phone) >= LOOKUP_PHONE_MIN_DIGITS;
}

/** Open cases of a customer, most recently updated first. */
export async function findOpenCasesForCustomer(customerId: string, db?: SidecaseDb): Promise<Case[]> {
  const store = db ?? (await import('../db/db')).db;
  const cases = await store.cases.where('customerId').equals(customerId).toArray();
  return cases.filter((c) => !isReadOnly(c)).sort((a, b) => b.updatedAt - a.updatedAt);
}

/**
 * The open cases to offer instead of a new one: those of the picked customer,
 * else of the stored customer with this email (as stored: lower case) or this
 * phone (the same digits, however written). None while the fields say too
 * little (isWorthLookingUp) or match no stored customer.
 */
export async function findDuplicateCases(customer: CustomerLookup, db?: SidecaseDb): Promise<Case[]> {
  if (!isWorthLookingUp(customer)) return [];
  const store = db ?? (await import('../db/db')).db;
  let id = customer.id;
  if (!id) {
    const [{ normaliseEmail }, { findCustomerByContact }] = await Promise.all([
      import('../capture/contacts'),
      import('../customers/upsert'),
    ]);
    const email = normaliseEmail(customer.email);
    const phone = digitCount(customer.phone) >= LOOKUP_PHONE_MIN_DIGITS ? customer.phone.trim() : undefined;
    if (!email && !phone) return [];
    id = (await findCustomerByContact(store, { email, phone }))?.id;
  }
  if (!id) return [];
  return findOpenCasesForCustomer(id, store);
}
