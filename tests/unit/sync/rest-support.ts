/**
 * What the reference-backend (REST) drain tests share: a backend and a fresh
 * database per test, both closed after it, and a case edited locally as the
 * panel edits it (the record and its outbox entry in one transaction). Call
 * `restDrains(name, token)` once at the top of a test file.
 */
import { afterEach } from 'vitest';
import { appendOutbox } from '../../../lib/db/changes';
import { SidecaseDb } from '../../../lib/db/db';
import type { Case } from '../../../lib/schema';
import type { BackendSettings } from '../../../lib/sync/settings';
import { startReferenceBackend, type ReferenceBackend } from '../../support/reference-backend';

/** Registers the clean-up for a test file; the function it returns sets up one test. */
export function restDrains(name: string, token: string): () => Promise<{ server: ReferenceBackend; db: SidecaseDb; settings: BackendSettings }> {
  const backends: ReferenceBackend[] = [];
  const dbs: SidecaseDb[] = [];
  afterEach(async () => {
    await Promise.all(backends.splice(0).map((b) => b.close()));
    for (const db of dbs.splice(0)) db.close();
  });
  return async () => {
    const server = await startReferenceBackend({ auth: { type: 'bearer', token } });
    backends.push(server);
    const db = new SidecaseDb(`${name}-${Math.random()}`);
    dbs.push(db);
    return { server, db, settings: { kind: 'rest', url: server.url, auth: { type: 'bearer', token } } };
  };
}

/** A new title for a stored case, written with its outbox entry as the app writes an edit. */
export async function editCaseLocally(db: SidecaseDb, id: string, title: string, at: number): Promise<Case> {
  return db.transaction('rw', [db.cases, db.outbox], async () => {
    const current = (await db.cases.get(id))!;
    const updated = { ...current, title, updatedAt: at, version: current.version + 1 };
    await db.cases.put(updated);
    await appendOutbox(db, { entity: 'case', entityId: id, type: 'case.updated', at, data: updated });
    return updated;
  });
}
