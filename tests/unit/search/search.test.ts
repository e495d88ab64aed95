import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { caseInput, putCaseBehindDexie } from '../cases/helpers';
import { mergeCase, updateCase } from '../../../lib/cases/lifecycle';
import { editCustomer } from '../../../lib/customers/update';
import { SidecaseDb } from '../../../lib/db/db';
import { addNote, deleteNote, editNote } from '../../../lib/notes/notes';
import type { Case, CaseInputRaw } from '../../../lib/schema';
import { clearSearchCaches, readAheadForNextWord, searchCases } from '../../../lib/search/search';
import { newId } from '../../../lib/ids';
import { caseWords, queryTokens } from '../../../lib/search/words';

let db: SidecaseDb;
let now = 1_700_000_000_000;
const ctx = () => ({ actor: 'Bea', db, now: ++now });
let refund: Case;
let printer: Case;
let login: Case;

async function make(title: string, customer: CaseInputRaw['customer'], tags: string[] = []) {
  return (await createCase(caseInput({ title, customer, tags }), ctx())).case;
}

const find = async (query: string, options = {}) => (await searchCases(query, { db, ...options })).map((h) => h.case.title);

beforeEach(async () => {
  db = new SidecaseDb(`test-${crypto.randomUUID()}`);
  refund = await make('Refund for order 1042', { name: 'Ana Kovács', email: 'ana.kovacs@northwind.example', phone: '+36 20 123 4567', company: 'Northwind' }, ['VIP']);
  printer = await make('Printer jams', { name: 'Budi Santoso', email: 'budi@contoso.example', phone: '', company: 'Contoso' });
  login = await make('Cannot log in', { name: 'Andrei Popescu', email: 'andrei@contoso.example', phone: '0721 555 010', company: '' });
  await addNote(printer.id, { body: 'Customer mentioned the chargeback form', format: 'text' }, ctx());
});
afterEach(() => db.close());

describe('searching cases', () => {
  it('finds a case by a word that is only in one of its notes', async () => {
    expect(await find('chargeback')).toEqual(['Printer jams']);
    expect((await searchCases('chargeb', { db }))[0]?.inNotes).toBe(true);
    expect((await searchCases('printer', { db }))[0]?.inNotes).toBe(false);
  });

  it('finds a case by its number, whole, without the prefix, or by its running number', async () => {
    expect(await find(login.number)).toEqual(['Cannot log in']);
    expect(await find(login.number.toLowerCase().slice(4))).toEqual(['Cannot log in']);
    // "3" also starts Ana's phone (+36…): the case numbered 3 comes first.
    expect((await searchCases('3', { db }))[0]).toMatchObject({ case: { id: login.id }, rank: 0 });
  });

  it('finds a case by title words, accents and case ignored, each word a prefix', async () => {
    expect(await find('REFUND')).toEqual(['Refund for order 1042']);
    expect(await find('ord ref')).toEqual(['Refund for order 1042']);
    expect(await find('kovacs')).toEqual(['Refund for order 1042']);
  });

  it('finds a case by customer email, domain, company and tag', async () => {
    expect(await find('ana.kovacs@northwind')).toEqual(['Refund for order 1042']);
    expect((await find('contoso')).sort()).toEqual(['Cannot log in', 'Printer jams']);
    expect(await find('vip')).toEqual(['Refund for order 1042']);
  });

  it('finds a case by phone digits however they are spaced', async () => {
    expect(await find('+36 20 123')).toEqual(['Refund for order 1042']);
    expect(await find('3620123')).toEqual(['Refund for order 1042']);
    expect(await find('20 123 45')).toEqual(['Refund for order 1042']);
    expect(await find('0721555')).toEqual(['Cannot log in']);
  });

  it('needs every word, found in the case or in its notes', async () => {
    expect(await find('printer chargeback')).toEqual(['Printer jams']);
    expect(await find('refund chargeback')).toEqual([]);
  });

  it('puts the case whose number or title matches exactly first', async () => {
    const other = await make('Order', { name: 'Ana Kovács', email: 'ana.kovacs@northwind.example', phone: '', company: '' });
    await updateCase(refund.id, { description: 'touched later' }, ctx());
    const hits = await searchCases('order', { db });
    expect(hits.map((h) => h.case.id)).toEqual([other.id, refund.id]);
    expect((await searchCases(refund.number, { db }))[0]?.rank).toBe(0);
  });

  it('shows the newest cases with the whole word before cases with longer words that start with it', async () => {
    const customer = { name: 'Dana Ionescu', email: 'dana@fabrikam.example', phone: '', company: '' };
    for (let i = 0; i < 30; i++) await make(`Router ${i} offline`, customer);
    for (let i = 0; i < 30; i++) await make(`Routers ${i} offline`, customer);
    const titles = await find('router', { limit: 5 });
    expect(titles).toEqual(['Router 29 offline', 'Router 28 offline', 'Router 27 offline', 'Router 26 offline', 'Router 25 offline']);
  });

  it('lists each case once and stops at the limit', async () => {
    await addNote(printer.id, { body: 'contoso again, contoso', format: 'text' }, ctx());
    const hits = await searchCases('contoso', { db });
    expect(hits.map((h) => h.case.id).sort()).toEqual([printer.id, login.id].sort());
    expect(await searchCases('contoso', { db, limit: 1 })).toHaveLength(1);
  });

  it('filters results by state, owner or customer', async () => {
    expect(await find('contoso', { filters: { state: 'resolved' } })).toEqual([]);
    expect(await find('contoso', { filters: { customerId: login.customerId } })).toEqual(['Cannot log in']);
  });

  it('finds nothing for an empty query', async () => {
    expect(await searchCases('  ', { db })).toEqual([]);
  });
});

describe('keeping search words up to date', () => {
  it('follows a title change', async () => {
    await updateCase(printer.id, { title: 'Scanner broken' }, ctx());
    expect(await find('printer')).toEqual([]);
    expect(await find('scanner')).toEqual(['Scanner broken']);
  });

  it('follows a customer’s new email to every one of their cases', async () => {
    await editCustomer(login.customerId, { emails: ['andrei.p@fabrikam.example'] }, ctx());
    expect(await find('fabrikam')).toEqual(['Cannot log in']);
    expect(await find('andrei@contoso')).toEqual([]);
  });

  it('follows note edits and deletions', async () => {
    const note = await addNote(login.id, { body: 'password reset link expired', format: 'text' }, ctx());
    expect(await find('expired')).toEqual(['Cannot log in']);
    await editNote(note.id, { body: 'password reset done', format: 'text' }, ctx());
    expect(await find('expired')).toEqual([]);
    await deleteNote(note.id, ctx());
    expect(await find('password')).toEqual([]);
  });

  it('finds the merge target by a word of a note that moved to it', async () => {
    await mergeCase(printer.id, login.id, ctx());
    expect(await find('chargeback')).toEqual(['Cannot log in']);
  });
});

describe('search words', () => {
  it('cut a case into number, title, tag and customer words', () => {
    const words = caseWords(
      { number: 'CAS-000123-K7Q2', title: 'Refund – Számla', tags: ['VIP client'] },
      { name: 'Ana', company: '', emails: ['ana@northwind.example'], phones: ['+36 20 123 4567'] },
    );
    expect(words).toEqual(expect.arrayContaining(['000123', '123', 'k7q2', 'refund', 'szamla', 'vip', 'client', 'ana', 'northwind', '36201234567', '201234567']));
    expect(words).not.toContain('cas');
  });

  it('turn a phone-like query into its digits and drop a leading CAS', () => {
    expect(queryTokens('+36 (20) 123')).toEqual(['3620123']);
    expect(queryTokens('CAS-000123')).toEqual(['000123']);
    expect(queryTokens('Kovács  refund')).toEqual(['kovacs', 'refund']);
  });
});

describe('search between keystrokes', () => {
  it('answers a repeated word from what it read, and forgets it when a case changes', async () => {
    expect(await find('chargeback')).toEqual(['Printer jams']);
    await updateCase(login.id, { title: 'Chargeback after cancelled login' }, ctx());
    expect(await find('chargeback')).toEqual(['Chargeback after cancelled login', 'Printer jams']);
  });

  it('finds by two words when the first was typed on its own before', async () => {
    expect(await find('contoso')).toEqual(['Printer jams', 'Cannot log in']);
    expect(await find('contoso budi')).toEqual(['Printer jams']);
    // U: no case-number suffix starts with it (Crockford's base 32), so no case here has a word that does.
    expect(await find('contoso budi u')).toEqual([]);
  });

  it('finds a rare word next to common ones, whichever word is longest', async () => {
    // Many cases share the customer's name; one word of the query is rare.
    for (let i = 0; i < 40; i++) await make(`Invoice copy ${i}`, { name: 'Wijayakusuma Putu', email: `wp${i}@example.id`, phone: '', company: '' });
    const rare = await make('Invoice copy rare', { name: 'Wijayakusuma Putu', email: 'w.p.7781@example.id', phone: '', company: '' });
    expect((await searchCases('wijayakusuma putu 7781', { db, limit: 5 })).map((h) => h.case.id)).toEqual([rare.id]);
  });

  it('checks a one-letter word beside longer ones on the cases the longer ones find', async () => {
    // Letters no case-number suffix has (Crockford's base 32 leaves out I, L, O and U): the test cannot hit one.
    expect(await find('contoso l')).toEqual(['Cannot log in']);
    expect(await find('jams i')).toEqual([]);
    expect(await find('popescu i')).toEqual(['Cannot log in']);
    // Only one-letter words: the first is read as a range, as a lone letter is.
    expect(await find('l i')).toEqual(['Cannot log in']);
  });

  it('answers from the cases already known once a word has found all of its cases, and forgets them on a change', async () => {
    expect(await find('chargeb')).toEqual(['Printer jams']);
    const keyReads = vi.spyOn(db, 'backendDB');
    expect(await find('chargeback')).toEqual(['Printer jams']);
    expect(await find('chargeback form')).toEqual(['Printer jams']);
    expect(await find('chargeback refund')).toEqual([]);
    expect(keyReads).not.toHaveBeenCalled();
    // A new case with the word: read again, and found.
    await make('Chargeback dispute', { name: 'Dewi Lestari', email: 'dewi@example.id', phone: '', company: '' });
    expect(await find('chargeback')).toEqual(['Chargeback dispute', 'Printer jams']);
    expect(keyReads).toHaveBeenCalled();
  });

  it('keeps nothing a read found when a change came while it was under way', async () => {
    const pending = searchCases('wombat', { db });
    clearSearchCaches(); // what a change does, here while the read is out
    expect(await pending).toEqual([]);
    // A case with the word, written with no change event: only a fresh read finds it.
    const twin = { ...printer, id: newId(), number: 'CAS-000777-W0MB', title: 'Wombat in the server room' };
    twin.words = caseWords(twin, undefined);
    await putCaseBehindDexie(db, twin);
    expect(await find('wombat')).toEqual(['Wombat in the server room']);
  });

  it('reads ahead for the next word once a word is finished, and answers the same', async () => {
    await readAheadForNextWord('contoso ', { db, limit: 50 });
    expect(await find('contoso budi')).toEqual(['Printer jams']);
    // Nothing is read for a word still being typed.
    await expect(readAheadForNextWord('conto', { db })).resolves.toBeUndefined();
  });

  it('answers each keystroke as a fresh search would, whatever the keystrokes before it kept', async () => {
    for (let i = 0; i < 12; i++) await make(`Invoice copy ${i}`, { name: i % 3 ? 'Budi Santoso' : 'Budi Hartono', email: `b${i}@contoso.example`, phone: '', company: 'Contoso' });
    for (const query of ['contoso budi santoso inv', 'budi hartono invoice copy 9', 'contoso c', 'chargeback form']) {
      for (let end = 1; end <= query.length; end++) {
        const typed = query.slice(0, end);
        const options = { limit: 5, keyCap: 3 };
        const kept = await find(typed, options);
        clearSearchCaches();
        // The next keystroke starts from what this fresh search kept.
        expect(kept, typed).toEqual(await find(typed, options));
      }
    }
  });

  it('narrows nothing from an answer cut by the limit, with other filters, or from before a change', async () => {
    // Cut at one of two matches: the other is not among what it holds.
    expect(await find('contoso', { limit: 1 })).toHaveLength(1);
    expect(await find('contoso c')).toEqual(['Printer jams', 'Cannot log in']);
    // The closed cases of "contoso" (none) say nothing of its active ones.
    expect(await find('contoso', { filters: { state: 'resolved' } })).toEqual([]);
    expect(await find('contoso b')).toEqual(['Printer jams']);
    // Every match of "chargeback", then a new case with the word: found by the narrower query.
    expect(await find('chargeback')).toEqual(['Printer jams']);
    await make('Chargeback form lost', { name: 'Dewi Lestari', email: 'dewi@example.id', phone: '', company: '' });
    expect(await find('chargeback form')).toEqual(['Chargeback form lost', 'Printer jams']);
  });

  it('follows a customer’s new name into a search typed before the change', async () => {
    expect(await find('santoso')).toEqual(['Printer jams']);
    await editCustomer(printer.customerId, { name: 'Budi Hartono' }, ctx());
    expect(await find('hartono')).toEqual(['Printer jams']);
    expect(await find('santoso')).toEqual([]);
  });
});
