/**
 * Backend data → a local record. What the backend sends is untrusted: it is
 * parsed with the same zod schema as local writes (unknown fields dropped),
 * and the fields Sidecase derives for its indexes (tag keys, search words,
 * note words, customer label, the next SLA deadline, customer search keys)
 * are recomputed here, never taken from the wire.
 */
import { deriveCaseFields } from '../cases/derive';
import { noteWordsOfCase, refreshCaseNoteWords, refreshCasesOfCustomer } from '../cases/write';
import type { SidecaseDb } from '../db/db';
import { customerSearchKeys } from '../customers/search-keys';
import { Case, Customer, EVENT_TYPES, Note, type OutboxEntry } from '../schema';
import { noteWords } from '../search/words';

export type Entity = OutboxEntry['entity'];

/** The local table of each entity that pulls and "Load their version" may write. Attachments carry bytes: not pulled. */
export function tableOf(db: SidecaseDb, entity: Entity) {
  switch (entity) {
    case 'case':
      return db.cases;
    case 'customer':
      return db.customers;
    case 'note':
      return db.notes;
    default:
      return undefined;
  }
}

/** The event type of "this record as it is now", for "Keep mine". */
export function updatedTypeOf(entity: Entity): OutboxEntry['type'] {
  const type = `${entity}.updated`;
  return (EVENT_TYPES as readonly string[]).includes(type) ? (type as OutboxEntry['type']) : 'case.updated';
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/**
 * The record to store, or undefined when their data is not a valid record with
 * this id. Reads customers and notes: the caller's transaction holds them.
 */
export async function toLocalRecord(
  db: SidecaseDb,
  entity: Entity,
  id: string,
  data: Record<string, unknown>,
): Promise<Record<string, unknown> | undefined> {
  const raw: Record<string, unknown> = { ...data, id };
  switch (entity) {
    case 'case': {
      const customer = typeof raw.customerId === 'string' ? await db.customers.get(raw.customerId) : undefined;
      // tagKeys is required by the schema but derived below, from the tags as parsed.
      const parsed = Case.safeParse({ ...raw, tagKeys: [] });
      if (!parsed.success) return undefined;
      return {
        ...parsed.data,
        ...deriveCaseFields(parsed.data, customer),
        // The words of the notes stored here, not a list the backend sends.
        noteWords: await noteWordsOfCase(db, id),
      };
    }
    case 'customer': {
      const base = {
        name: typeof raw.name === 'string' ? raw.name : '',
        company: typeof raw.company === 'string' ? raw.company : '',
        emails: strings(raw.emails),
        phones: strings(raw.phones),
      };
      const parsed = Customer.safeParse({ ...raw, searchKeys: customerSearchKeys(base) });
      return parsed.success ? parsed.data : undefined;
    }
    case 'note': {
      const parsed = Note.safeParse(raw);
      if (!parsed.success) return undefined;
      return { ...parsed.data, words: noteWords(parsed.data) };
    }
    default:
      return undefined;
  }
}

/**
 * Store a record from the backend. A note's words are its case's words too
 * (`noteWords`): the case it is on, and the one it left when it moved (a
 * merge), are refreshed; a customer's name, company, emails and phones are
 * the words and label of its cases. Inside the caller's transaction (cases,
 * customers and notes).
 */
export async function storePulledRecord(db: SidecaseDb, entity: Entity, record: Record<string, unknown>): Promise<void> {
  const table = tableOf(db, entity);
  if (!table) return;
  if (entity === 'customer') {
    // A case is found and listed by its customer's name, company, emails and phones: its cases follow.
    // Parsed by toLocalRecord (or by "Load their version" through it).
    const customer = record as Customer;
    await db.customers.put(customer);
    await refreshCasesOfCustomer(db, customer);
    return;
  }
  if (entity !== 'note') {
    // The record type follows the entity; Dexie's union of tables needs the cast.
    await (table as typeof db.cases).put(record as never);
    return;
  }
  const before = await db.notes.get(record.id as string);
  await db.notes.put(record as never);
  const cases = new Set([before?.caseId, record.caseId].filter((id): id is string => typeof id === 'string'));
  for (const caseId of cases) await refreshCaseNoteWords(db, caseId);
}
