// @vitest-environment happy-dom
import '../notes/happy-dom-purify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createCase } from '../../../lib/cases/create';
import { createChildCase } from '../../../lib/cases/children';
import { listTimeline } from '../../../lib/cases/queries';
import type { SidecaseDb } from '../../../lib/db/db';
import { caseInput, freshDb } from '../cases/helpers';

const CARD = '4111 1111 1111 1111';
const MASKED_CARD = '•••• •••• •••• 1111';
const ctx = (db: SidecaseDb) => ({ actor: 'Bea', db, now: Date.UTC(2025, 8, 1, 9, 0, 0) });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a child case', () => {
  it('is masked and saved, though it is written inside its parent’s transaction', async () => {
    const db = freshDb();
    const { case: parent } = await createCase(caseInput({ title: 'Whole office offline' }), ctx(db));
    // Reading the settings (which kinds to mask) crosses to the browser's
    // storage, as in the panel: an await outside IndexedDB, which let the
    // child's transaction commit half-way when it was read inside it.
    const get = fakeBrowser.storage.local.get.bind(fakeBrowser.storage.local);
    vi.spyOn(fakeBrowser.storage.local, 'get').mockImplementation(((keys: never) =>
      new Promise((resolve) => setTimeout(resolve, 20)).then(() => get(keys))) as never);
    const { case: child } = await createChildCase(parent.id, { ...caseInput({ title: `Refund ${CARD}`, description: `Paid with ${CARD}` }), customer: undefined }, ctx(db));
    expect(child).toMatchObject({ parentId: parent.id, customerId: parent.customerId, title: `Refund ${MASKED_CARD}` });
    expect(JSON.stringify(await Promise.all([db.cases.toArray(), db.timeline.toArray(), db.outbox.toArray()]))).not.toContain('4111 1111');
    expect((await listTimeline(parent.id, db)).map((event) => event.kind)).toContain('child');
  });
});
