/**
 * Search words: the folded, tokenized words stored on cases and notes for the
 * `*words` multi-entry indexes. One prefix look-up on an index answers a
 * keystroke, instead of a scan of 50,000 cases and 200,000 notes.
 *
 * Pure functions, no database: the schema migration, the repositories and the
 * search itself share them, so what is stored and what is looked up are cut
 * the same way.
 */
import { phoneNumberWords, phoneQueryDigits } from './phones';
import { foldText, phoneDigits } from './text';

/** Words shorter than this are not stored: a one-letter query still prefix-matches longer words. */
const MIN_WORD = 2;
const MAX_WORD = 40;
const MAX_CASE_WORDS = 300;
const MAX_NOTE_WORDS = 1000;

/** Folded tokens of any text: letters and digits, accents removed, lower case. */
export function tokenize(text: string): string[] {
  return foldText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

function addWords(target: Set<string>, words: Iterable<string>) {
  for (const word of words) if (word.length >= MIN_WORD) target.add(word.slice(0, MAX_WORD));
}

/** A phone's digit words (phones.ts says which) and each group as it was typed. */
function phoneWords(phone: string): string[] {
  return [...phoneNumberWords(phone), ...tokenize(phone)];
}

/** `CAS-000123-K7Q2` → 000123, 123 and k7q2 (not "cas": every case has it). */
function numberWords(number: string): string[] {
  const [, sequence = '', suffix = ''] = number.split('-');
  return [sequence, sequence.replace(/^0+/, ''), suffix.toLowerCase()];
}

export interface CaseWordSource {
  number: string;
  title: string;
  tags: readonly string[];
}

export interface CustomerWordSource {
  name: string;
  company: string;
  emails: readonly string[];
  phones: readonly string[];
}

/** The words a case is found by: number, title, tags and its customer's name, company, emails and phones. */
export function caseWords(record: CaseWordSource, customer?: CustomerWordSource): string[] {
  const words = new Set<string>();
  addWords(words, numberWords(record.number));
  // Case 7 is asked for as "7": the running number is kept however short.
  const running = numberWords(record.number)[1];
  if (running) words.add(running);
  addWords(words, tokenize(record.title));
  for (const tag of record.tags) addWords(words, tokenize(tag));
  if (customer) {
    addWords(words, tokenize(customer.name));
    addWords(words, tokenize(customer.company));
    for (const email of customer.emails) addWords(words, tokenize(email));
    for (const phone of customer.phones) addWords(words, phoneWords(phone));
  }
  return [...words].slice(0, MAX_CASE_WORDS);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * The visible text of a note. Notes are sanitized before they are stored, so
 * removing tags is enough to get their words; this text is only ever indexed,
 * never rendered.
 */
export function noteText(note: { body: string; format: 'text' | 'html' }): string {
  if (note.format === 'text') return note.body;
  return note.body
    .replace(/<(br|\/p|\/li|\/div)[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#\d+|[a-z]+);/gi, (entity, name: string) =>
      name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : (ENTITIES[name.toLowerCase()] ?? entity),
    );
}

const MAX_CASE_NOTE_WORDS = 3000;

/** The words of all of a case's notes, each once (the case's `noteWords`). */
export function mergeNoteWords(lists: Iterable<readonly string[] | undefined>): string[] {
  const words = new Set<string>();
  for (const list of lists) for (const word of list ?? []) words.add(word);
  return [...words].slice(0, MAX_CASE_NOTE_WORDS);
}

export function noteWords(note: { body: string; format: 'text' | 'html' }): string[] {
  const words = new Set<string>();
  addWords(words, tokenize(noteText(note)));
  return [...words].slice(0, MAX_NOTE_WORDS);
}

/**
 * Phone-like text: digits spaced, bracketed, dashed or slashed ("30/123-4567"),
 * or after a + ; or a run of digits after 00, too long to be a case's
 * sequence ("000123" stays a case number).
 */
function isPhoneLike(text: string): boolean {
  if (!/^\+?[\d\s().\/-]+$/.test(text) || phoneDigits(text).length < 3) return false;
  return /[\s().\/+-]/.test(text) || /^00\d{5,}$/.test(text);
}

/**
 * What the agent typed, cut like the stored words. Phone-like text becomes one
 * run of digits ("+36 20 123" → 3620123, phones.ts phoneQueryDigits), which
 * prefix-matches the stored digit words however the number was spaced. A
 * leading "CAS" of a case number is dropped: every case has it.
 */
export function queryTokens(query: string): string[] {
  const trimmed = query.trim();
  if (isPhoneLike(trimmed)) return [phoneQueryDigits(trimmed).slice(0, MAX_WORD)];
  let tokens = tokenize(trimmed);
  if (tokens.length > 1 && tokens[0] === 'cas') tokens = tokens.slice(1);
  return [...new Set(tokens)].map((token) => token.slice(0, MAX_WORD));
}
