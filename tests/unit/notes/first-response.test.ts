// @vitest-environment happy-dom
import './happy-dom-purify';
import { describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { SidecaseDb } from '../../../lib/db/db';
import { addNote } from '../../../lib/notes/notes';
import { caseInput } from '../cases/helpers';

const T0 = Date.UTC(2025, 8, 1, 9, 0, 0);

describe('the first response', () => {
  it('is queued for the backend with the case, in the note’s transaction, once', async () => {
    const db = new SidecaseDb(`first-response-${Math.random()}`);
    const { case: created } = await createCase(caseInput({ title: 'Printer offline' }), { actor: 'Bea', db, now: T0 });
    await db.outbox.clear();

    await addNote(created.id, { body: 'Checked the cable', format: 'text' }, { actor: 'Bea', db, now: T0 + 60_000 });
    const stored = await db.cases.get(created.id);
    expect(stored?.sla?.firstRespondedAt).toBe(T0 + 60_000);
    const caseEntries = (await db.outbox.toArray()).filter((entry) => entry.entity === 'case');
    expect(caseEntries).toHaveLength(1);
    expect(caseEntries[0]).toMatchObject({ type: 'case.updated', entityId: created.id });
    expect((caseEntries[0]!.data as { sla?: { firstRespondedAt?: number }; version?: number }).sla?.firstRespondedAt).toBe(T0 + 60_000);
    expect((caseEntries[0]!.data as { version?: number }).version).toBe(stored?.version);

    // A later note is no new response: nothing more is queued for the case.
    await addNote(created.id, { body: 'Replaced the cable', format: 'text' }, { actor: 'Bea', db, now: T0 + 120_000 });
    expect((await db.outbox.toArray()).filter((entry) => entry.entity === 'case')).toHaveLength(1);
    expect((await db.cases.get(created.id))?.sla?.firstRespondedAt).toBe(T0 + 60_000);
  });
});
