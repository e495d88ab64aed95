/** Shared fixtures for the unit tests that need a case: a fresh database per test and a valid form. */
import { SidecaseDb } from '../../../lib/db/db';
import type { CaseInputRaw } from '../../../lib/schema';

export function freshDb(): SidecaseDb {
  return new SidecaseDb(`test-${crypto.randomUUID()}`);
}

export function caseInput(patch: Partial<CaseInputRaw> = {}, customer: Partial<CaseInputRaw['customer']> = {}): CaseInputRaw {
  return {
    title: 'Refund for order 1042',
    customer: { name: 'Ana Kovács', email: 'ana@northwind.example', phone: '+36 20 123 4567', company: 'Northwind', ...customer },
    subject: '',
    origin: 'email',
    product: '',
    priority: 'normal',
    tags: [],
    description: '',
    ...patch,
  };
}

export async function tableCounts(db: SidecaseDb) {
  const [cases, customers, timeline, outbox, notes, attachments] = await Promise.all([
    db.cases.count(),
    db.customers.count(),
    db.timeline.count(),
    db.outbox.count(),
    db.notes.count(),
    db.attachments.count(),
  ]);
  return { cases, customers, timeline, outbox, notes, attachments };
}

/**
 * Writes a case straight through IndexedDB, behind Dexie's back: no change
 * event, as a write of another context whose event has not arrived yet.
 */
export function putCaseBehindDexie(db: SidecaseDb, record: object): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const tx = db.backendDB().transaction('cases', 'readwrite');
    tx.objectStore('cases').put(record);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}
