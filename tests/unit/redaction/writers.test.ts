// @vitest-environment happy-dom
import '../notes/happy-dom-purify';
import { describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { updateCase } from '../../../lib/cases/edit';
import { listTimeline } from '../../../lib/cases/queries';
import type { SidecaseDb } from '../../../lib/db/db';
import { handleMenuClick } from '../../../lib/menus';
import type { MenuServices } from '../../../lib/menus/action';
import type { PendingItem } from '../../../lib/inbox/pending';
import { addNote, editNote, listInboxNotes } from '../../../lib/notes/notes';
import { prepareNote } from '../../../lib/notes/prepare';
import { maskText } from '../../../lib/redaction/mask';
import { saveSettings } from '../../../lib/settings';
import { caseInput, freshDb } from '../cases/helpers';

// Invented values that pass their checks: a Visa test number, a Romanian IBAN, a password.
const CARD = '4111 1111 1111 1111';
const IBAN = 'RO49 AAAA 1B31 0075 9384 0000';
const MAIL = `Hello, I paid with ${CARD}. Please refund to ${IBAN}.\nMy login: ana.k, password: Alma1234!`;
const MASKED_CARD = '•••• •••• •••• 1111';
const MASKED_IBAN = 'RO49 •••• •••• •••• •••• 0000';
const ORIGINALS = ['4111', '1B31', 'Alma1234'];

const T0 = Date.UTC(2025, 8, 1, 9, 0, 0);
const ctx = (db: SidecaseDb) => ({ actor: 'Bea', db, now: T0 });

/** Everything the database holds, as one string: no original may be anywhere in it. */
async function everything(db: SidecaseDb): Promise<string> {
  const tables = await Promise.all([db.cases.toArray(), db.notes.toArray(), db.timeline.toArray(), db.outbox.toArray()]);
  return JSON.stringify(tables);
}

describe('masking', () => {
  it('keeps the text around each value as it was and says where each masked form now sits', () => {
    const masked = maskText(MAIL);
    expect(masked.text).toBe(`Hello, I paid with ${MASKED_CARD}. Please refund to ${MASKED_IBAN}.\nMy login: ana.k, password: [secret removed]`);
    expect(masked.items.map((item) => masked.text.slice(item.start, item.end))).toEqual([MASKED_CARD, MASKED_IBAN, '[secret removed]']);
    expect(masked.items.map((item) => item.original)).toEqual([CARD, IBAN, 'Alma1234!']);
    // Masking what is masked changes nothing.
    expect(maskText(masked.text).text).toBe(masked.text);
  });

  it('never touches a case number', () => {
    const text = 'Re: CAS-000123-4111111111 and CAS-411111-1111111111';
    expect(maskText(text).text).toBe(text);
  });
});

describe('the writers', () => {
  it('store and queue a new case, its notes and its timeline with only the masked forms', async () => {
    const db = freshDb();
    const note = prepareNote({ body: `<p>Card again: <b>${CARD}</b></p>`, format: 'html' });
    const { case: created, notes } = await createCase(caseInput({ title: `Double charge on ${CARD}`, description: MAIL }), ctx(db), { notes: [note] });
    expect(created.title).toBe(`Double charge on ${MASKED_CARD}`);
    expect(created.description).toContain(MASKED_IBAN);
    expect(notes[0]!.body).toBe(`<p>Card again: <b>${MASKED_CARD}</b></p>`);
    const all = await everything(db);
    for (const original of ORIGINALS) expect(all).not.toContain(original);
    expect(created.words?.join(' ')).not.toContain('4111');
    expect(notes[0]!.words?.join(' ')).not.toContain('4111');
  });

  it('keeps a value unmasked only by the agent’s choice, and says so on the timeline', async () => {
    const db = freshDb();
    const { case: created } = await createCase(caseInput({ description: MAIL }), ctx(db), { keepUnmasked: [IBAN] });
    expect(created.description).toContain(IBAN);
    expect(created.description).toContain(MASKED_CARD);
    const kept = (await listTimeline(created.id, db)).filter((event) => event.kind === 'redaction');
    expect(kept).toEqual([expect.objectContaining({ actor: 'Bea', data: { action: 'keptUnmasked', kind: 'iban', label: 'iban' } })]);
  });

  it('mask an edited description, and leave a value kept earlier as it is', async () => {
    const db = freshDb();
    const { case: created } = await createCase(caseInput({ description: `IBAN ${IBAN}` }), ctx(db), { keepUnmasked: [IBAN] });
    const after = await updateCase(created.id, { description: `IBAN ${IBAN}, card ${CARD}` }, { ...ctx(db), now: T0 + 1000 });
    expect(after.description).toBe(`IBAN ${IBAN}, card ${MASKED_CARD}`);
    const outbox = JSON.stringify(await db.outbox.toArray());
    expect(outbox).not.toContain(CARD);
    // One "kept unmasked" (at creation), not a second one for the edit.
    expect((await listTimeline(created.id, db)).filter((event) => event.kind === 'redaction')).toHaveLength(1);
  });

  it('mask a note added or edited in the panel, its words and its timeline excerpt', async () => {
    const db = freshDb();
    const { case: created } = await createCase(caseInput(), ctx(db));
    const note = await addNote(created.id, { body: MAIL, format: 'text' }, { ...ctx(db), now: T0 + 1000 });
    expect(note.body).toContain('password: [secret removed]');
    await editNote(note.id, { body: `${MAIL}\nNew card 5555 5555 5555 4444`, format: 'text' }, { ...ctx(db), now: T0 + 2000 });
    const all = await everything(db);
    for (const original of [...ORIGINALS, '5555 5555 5555 4444']) expect(all).not.toContain(original);
  });

  it('leave a kind the agent switched off as it is', async () => {
    const db = freshDb();
    await saveSettings({ agentName: 'Bea', ownAddresses: [], redaction: { card: 'off', iban: 'mask', secret: 'ask', nationalId: 'mask' } });
    const { case: created } = await createCase(caseInput({ description: MAIL }), ctx(db));
    expect(created.description).toContain(CARD);
    expect(created.description).toContain(MASKED_IBAN);
    expect(created.description).toContain('[secret removed]');
  });
});

describe('context-menu results', () => {
  function services(stored: PendingItem[]): MenuServices {
    return {
      openPanel: () => undefined,
      now: () => T0,
      settings: async () => ({ agentName: 'Bea', ownAddresses: [], defaultCountry: '' }),
      capture: async () => ({ ok: false, error: 'capture.error.noPermission' }),
      store: async (item) => void stored.push(item),
      fetch: (() => Promise.reject(new Error('no network'))) as unknown as typeof fetch,
      captureVisibleTab: async () => '',
    };
  }
  const TAB = { id: 7, windowId: 1, url: 'https://mail.example.com/inbox/42', title: 'Refund' };

  it('wait for the panel with the selection masked', async () => {
    const stored: PendingItem[] = [];
    await handleMenuClick({ menuItemId: 'addSelectionToCase', selectionText: MAIL }, TAB, services(stored));
    await handleMenuClick({ menuItemId: 'newCaseFromSelection', selectionText: MAIL }, TAB, services(stored));
    expect(stored).toHaveLength(2);
    const all = JSON.stringify(stored);
    for (const original of ORIGINALS) expect(all).not.toContain(original);
    expect(all).toContain(MASKED_CARD);
  });

  it('put a quick note in the inbox masked', async () => {
    await handleMenuClick({ menuItemId: 'quickNoteFromSelection', selectionText: MAIL }, TAB, services([]));
    const [note] = await listInboxNotes();
    expect(note?.body).toContain(MASKED_IBAN);
    for (const original of ORIGINALS) expect(note?.body).not.toContain(original);
  });
});
