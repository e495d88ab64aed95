import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createCase } from '../../../lib/cases/create';
import { db } from '../../../lib/db/db';
import { editCustomer } from '../../../lib/customers/update';
import { newId } from '../../../lib/ids';
import { dispatchMessage } from '../../../lib/messages';
import { searchMessageHandlers } from '../../../lib/search/message-handlers';
import { caseWords } from '../../../lib/search/words';
import { caseInput, putCaseBehindDexie } from '../cases/helpers';

const PANEL = { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/sidepanel.html' };
const ask = (body: unknown, sender: { id?: string; url?: string } = PANEL) =>
  dispatchMessage(searchMessageHandlers, { sidecase: 1, name: 'search.cases', body }, sender);
let now = 1_700_000_000_000;
const ctx = () => ({ actor: 'Bea', db, now: ++now });

afterEach(async () => {
  await Promise.all(db.tables.map((table) => table.clear()));
});

describe('the search the background answers for the panel', () => {
  it('runs in the extension the tests fake', () => {
    expect(fakeBrowser.runtime.id).toBe(PANEL.id);
  });

  it('answers with rows: what a list row shows, the customer named, never the search words', async () => {
    const { case: saved } = await createCase(caseInput({ title: 'Printer jams on tray 2' }, { name: 'Budi Santoso', company: 'Contoso' }), ctx());
    const reply = await ask({ query: 'printer', limit: 25, fresh: false });
    expect(reply).toEqual({
      ok: true,
      query: 'printer',
      results: [
        {
          id: saved.id,
          number: saved.number,
          title: 'Printer jams on tray 2',
          customerId: saved.customerId,
          priority: 'normal',
          state: 'active',
          statusReason: saved.statusReason,
          updatedAt: saved.updatedAt,
          customerLabel: 'Budi Santoso',
          inNotes: false,
        },
      ].map((row) => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined))),
    });
  });

  it('names the customer as edited since the last search', async () => {
    const { case: saved, customer } = await createCase(caseInput({ title: 'Modem blinks red' }, { name: 'Budi Santoso' }), ctx());
    await ask({ query: 'modem', limit: 25, fresh: false });
    await editCustomer(customer.id, { name: 'Budi S. Wibowo', company: customer.company, emails: customer.emails, phones: customer.phones }, ctx());
    const reply = await ask({ query: 'modem', limit: 25, fresh: false });
    expect(reply).toMatchObject({ ok: true, results: [{ id: saved.id, customerLabel: 'Budi S. Wibowo' }] });
  });

  it('names the customer of a case stored before cases kept the label, from the customer itself', async () => {
    const { case: saved } = await createCase(caseInput({ title: 'Fax machine smokes' }, { name: 'Ionela Vechi' }), ctx());
    const { customerLabel: _kept, ...older } = saved;
    await db.cases.put(older);
    expect((await db.cases.get(saved.id))?.customerLabel).toBeUndefined();
    expect(await ask({ query: 'fax', limit: 25, fresh: true })).toMatchObject({ ok: true, results: [{ id: saved.id, customerLabel: 'Ionela Vechi' }] });
  });

  it('reads afresh when the panel says it saw a change, even one this context did not hear of', async () => {
    const { case: saved } = await createCase(caseInput({ title: 'Router reboots' }), ctx());
    expect(await ask({ query: 'wombat', limit: 25, fresh: false })).toMatchObject({ ok: true, results: [] });
    const twin = { ...saved, id: newId(), number: 'CAS-000999-W0MB', title: 'Wombat in the server room' };
    twin.words = caseWords(twin, undefined);
    await putCaseBehindDexie(db, twin);
    expect(await ask({ query: 'wombat', limit: 25, fresh: false })).toMatchObject({ ok: true, results: [] });
    expect(await ask({ query: 'wombat', limit: 25, fresh: true })).toMatchObject({ ok: true, results: [{ id: twin.id, title: 'Wombat in the server room' }] });
  });

  it('refuses a content script, and answers a malformed request as invalid', async () => {
    await createCase(caseInput({ title: 'Printer jams' }), ctx());
    expect(await ask({ query: 'printer', limit: 25, fresh: false }, { id: PANEL.id, url: 'https://mail.example.com/' })).toEqual({
      ok: false,
      error: 'sync.message.refused',
    });
    expect(await ask({ query: 'printer', limit: 1000, fresh: false })).toEqual({ ok: false, error: 'sync.message.invalid' });
  });
});
