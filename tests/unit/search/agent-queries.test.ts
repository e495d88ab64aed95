/**
 * What agents type into the search box, and the cases it must find (issue 13
 * item 6). The expected results are written out by hand from the customers
 * below, not computed by the code under test: a phone by any run of its
 * trailing digits an agent would type, an email by its local part, its domain
 * or whole, a name with or without diacritics in either order, a case by its
 * running number, its zero-padded sequence, `CAS-…` or its suffix.
 */
import Dexie from 'dexie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { SidecaseDb } from '../../../lib/db/db';
import type { Case, CaseInputRaw } from '../../../lib/schema';
import { searchCases } from '../../../lib/search/search';
import { toLocalRecord } from '../../../lib/sync/records';
import { caseInput } from '../cases/helpers';

let db: SidecaseDb;
let now = 1_700_000_000_000;
const ctx = () => ({ actor: 'Bea', db, now: ++now });

async function make(title: string, customer: Partial<CaseInputRaw['customer']>): Promise<Case> {
  const full = { name: '', email: '', phone: '', company: '', ...customer };
  return (await createCase(caseInput({ title }, full), ctx())).case;
}

// One case per customer, in this order (later ones are newer). The numbers
// are chosen so that no two share a run of four digits at the same place,
// except where a row below says so.
const EVA = 'Router keeps rebooting'; // Szabó Éva, +36 30 123 4567 (Hungarian mobile, stored international)
const PETER = 'Parcel never arrived'; // Kovács Péter, 06 1 346 8020 (Budapest landline, stored national)
const ANA = 'Password reset loop'; // Ana Popescu, +40 721 555 010 (Romanian mobile, international)
const ION = 'Double charge on statement'; // Ion Popescu, 0744 321 987 (Romanian mobile, national)
const STEFAN = 'Warranty claim for headset'; // Ștefan Țăranu, no phone
const PUTU = 'App crashes on start'; // Putu Wijaya, +62 813-8845-2291 (Indonesian mobile, international)
const DEWI = 'Subscription paused by mistake'; // Dewi Lestari, 0857 2210 4433 (Indonesian mobile, national)
const JOHN = 'Wrong size delivered'; // John Miller, +1 (415) 555-0199 (US, international)
const OLIVIA = 'Cannot download statement'; // Olivia Smith, +44 20 7946 0018 (London, international)
const CASE_123 = 'Headset static on calls'; // CAS-000123-K7Q2M9XA4B, Budi Santoso
const CASE_27 = 'Headset battery swollen'; // CAS-000027-R8T3: a teammate's older install, pulled

beforeAll(async () => {
  db = new SidecaseDb(`test-${crypto.randomUUID()}`);
  await make(EVA, { name: 'Szabó Éva', email: 'eva.szabo@pelda.hu', phone: '+36 30 123 4567' });
  await make(PETER, { name: 'Kovács Péter', email: 'peter.kovacs@vallalat.hu', phone: '06 1 346 8020' });
  await make(ANA, { name: 'Ana Popescu', email: 'ana.popescu@exemplu.ro', phone: '+40 721 555 010' });
  await make(ION, { name: 'Ion Popescu', email: 'ion@firma.ro', phone: '0744 321 987' });
  await make(STEFAN, { name: 'Ștefan Țăranu', email: 'stefan@exemplu.ro' });
  await make(PUTU, { name: 'Putu Wijaya', email: 'putu@contoh.co.id', phone: '+62 813-8845-2291' });
  await make(DEWI, { name: 'Dewi Lestari', email: 'dewi.lestari@contoh.co.id', phone: '0857 2210 4433' });
  await make(JOHN, { name: 'John Miller', email: 'jmiller@example.com', phone: '+1 (415) 555-0199' });
  await make(OLIVIA, { name: 'Olivia Smith', email: 'olivia.smith@example.co.uk', phone: '+44 20 7946 0018' });
  // This install's 123rd case, with a ten-character suffix of its own.
  await db.meta.bulkPut([
    { key: 'caseCounter', value: 122 },
    { key: 'installSuffix', value: 'K7Q2M9XA4B' },
  ]);
  const numbered = await make(CASE_123, { name: 'Budi Santoso', email: 'budi@toko.id' });
  expect(numbered.number).toBe('CAS-000123-K7Q2M9XA4B');
  // A case numbered by an install from before ten-character suffixes, as a sync pull stores it.
  const made = await make(CASE_27, { name: 'Gita Hidayat', email: 'gita@toko.id' });
  const pulled = await db.transaction('rw', [db.cases, db.customers, db.notes], async () => {
    const record = await toLocalRecord(db, 'case', made.id, { ...made, number: 'CAS-000027-R8T3' });
    await db.cases.put(record as Case);
    return record as Case;
  });
  expect(pulled.number).toBe('CAS-000027-R8T3');
});

afterAll(async () => {
  db.close();
  await Dexie.delete(db.name);
});

/** [what the agent types, the titles of the cases it must find, best first] */
const PHONES: Array<[string, string[]]> = [
  // Hungarian mobile stored as +36 30 123 4567.
  ['+36 30 123 4567', [EVA]],
  ['+36301234567', [EVA]],
  ['0036 30 123 4567', [EVA]],
  ['0036301234567', [EVA]],
  ['06 30 123 4567', [EVA]],
  ['06301234567', [EVA]],
  ['06 30/123-4567', [EVA]],
  ['30 123 4567', [EVA]],
  ['301234567', [EVA]],
  ['123 4567', [EVA]],
  ['123-4567', [EVA]],
  ['1234567', [EVA]],
  ['4567', [EVA]],
  // Budapest landline stored nationally as 06 1 346 8020: an international query finds it too.
  ['06 1 346 8020', [PETER]],
  ['0613468020', [PETER]],
  ['+36 1 346 8020', [PETER]],
  ['0036 1 346 8020', [PETER]],
  ['1 346 8020', [PETER]],
  ['346 8020', [PETER]],
  ['8020', [PETER]],
  // Romanian mobile stored as +40 721 555 010.
  ['+40 721 555 010', [ANA]],
  ['0040 721 555 010', [ANA]],
  ['0721 555 010', [ANA]],
  ['0721555010', [ANA]],
  ['721 555 010', [ANA]],
  ['555 010', [ANA]],
  ['5010', [ANA]],
  // Romanian mobile stored nationally as 0744 321 987.
  ['0744 321 987', [ION]],
  ['+40 744 321 987', [ION]],
  ['0040744321987', [ION]],
  ['744 321 987', [ION]],
  ['321 987', [ION]],
  ['1987', [ION]],
  // Indonesian mobile stored as +62 813-8845-2291.
  ['+62 813-8845-2291', [PUTU]],
  ['+62 813 8845 2291', [PUTU]],
  ['0062 813 8845 2291', [PUTU]],
  ['0813-8845-2291', [PUTU]],
  ['081388452291', [PUTU]],
  ['813 8845 2291', [PUTU]],
  ['8845 2291', [PUTU]],
  ['2291', [PUTU]],
  // Indonesian mobile stored nationally as 0857 2210 4433.
  ['0857 2210 4433', [DEWI]],
  ['+62 857 2210 4433', [DEWI]],
  ['857 2210 4433', [DEWI]],
  ['2210 4433', [DEWI]],
  ['4433', [DEWI]],
  // US number stored as +1 (415) 555-0199.
  ['+1 415 555 0199', [JOHN]],
  ['+1 (415) 555-0199', [JOHN]],
  ['1 415 555 0199', [JOHN]],
  ['(415) 555-0199', [JOHN]],
  ['415-555-0199', [JOHN]],
  ['4155550199', [JOHN]],
  ['555-0199', [JOHN]],
  ['0199', [JOHN]],
  // London number stored as +44 20 7946 0018.
  ['+44 20 7946 0018', [OLIVIA]],
  ['0044 20 7946 0018', [OLIVIA]],
  ['020 7946 0018', [OLIVIA]],
  ['02079460018', [OLIVIA]],
  ['20 7946 0018', [OLIVIA]],
  ['7946 0018', [OLIVIA]],
  ['0018', [OLIVIA]],
];

const EMAILS: Array<[string, string[]]> = [
  ['eva.szabo', [EVA]],
  ['eva.szabo@', [EVA]],
  ['eva.szabo@pelda.hu', [EVA]],
  ['pelda.hu', [EVA]],
  ['@pelda.hu', [EVA]],
  ['jmiller', [JOHN]],
  ['jmiller@example.com', [JOHN]],
  ['example.com', [JOHN]],
  ['olivia.smith@example.co.uk', [OLIVIA]],
  ['example.co.uk', [OLIVIA]],
  ['putu@contoh.co.id', [PUTU]],
  ['dewi.lestari@contoh.co.id', [DEWI]],
  // A domain finds everyone at it, newest case first.
  ['contoh.co.id', [DEWI, PUTU]],
  ['exemplu.ro', [STEFAN, ANA]],
];

const NAMES: Array<[string, string[]]> = [
  ['Szabó Éva', [EVA]],
  ['szabo eva', [EVA]],
  ['Éva Szabó', [EVA]],
  ['eva szabo', [EVA]],
  ['SZABO', [EVA]],
  ['Kovács Péter', [PETER]],
  ['peter kovacs', [PETER]],
  ['Popescu Ana', [ANA]],
  ['ana popescu', [ANA]],
  ['popescu', [ION, ANA]],
  ['Țăranu Ștefan', [STEFAN]],
  ['stefan taranu', [STEFAN]],
  // The cedilla letters older keyboards type for ș and ț.
  ['Ştefan Ţăranu', [STEFAN]],
  ['wijaya putu', [PUTU]],
  ['Putu Wijaya', [PUTU]],
  ['lestari', [DEWI]],
];

const NUMBERS: Array<[string, string[]]> = [
  // "123" is also the start of Éva's local number: the case numbered 123 comes first.
  ['123', [CASE_123, EVA]],
  ['000123', [CASE_123]],
  ['CAS-000123', [CASE_123]],
  ['cas-000123', [CASE_123]],
  ['CAS-000123-K7Q2M9XA4B', [CASE_123]],
  ['K7Q2M9XA4B', [CASE_123]],
  ['k7q2m9xa4b', [CASE_123]],
  ['27', [CASE_27]],
  ['000027', [CASE_27]],
  ['CAS-000027', [CASE_27]],
  ['CAS-000027-R8T3', [CASE_27]],
  ['R8T3', [CASE_27]],
];

const titlesFor = async (query: string) => (await searchCases(query, { db })).map((hit) => hit.case.title);

describe('finding cases the way agents ask', () => {
  it.each(PHONES)('finds a phone by what an agent types: %s', async (query, expected) => {
    expect(await titlesFor(query)).toEqual(expected);
  });

  it.each(EMAILS)('finds an email by its local part, its domain or whole: %s', async (query, expected) => {
    expect(await titlesFor(query)).toEqual(expected);
  });

  it.each(NAMES)('finds a name with or without diacritics, in either order: %s', async (query, expected) => {
    expect(await titlesFor(query)).toEqual(expected);
  });

  it.each(NUMBERS)('finds a case by its number, sequence, CAS- prefix or suffix: %s', async (query, expected) => {
    expect(await titlesFor(query)).toEqual(expected);
  });
});
