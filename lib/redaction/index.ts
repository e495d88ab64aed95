/**
 * lib/redaction: finds card numbers, IBANs, secrets and national ids in text
 * and masks them before anything taken from outside is stored or sent (see
 * README.md). `findSensitive` runs the detectors the settings leave on, one
 * file per kind, registered in `DETECTORS`.
 *
 * Pure: no browser API, no storage, no database. The detectors pull
 * `card-validator` and `ibantools`, so the panel loads this folder with
 * `import()` when text arrives, never for its first paint.
 */
import { findCards } from './cards';
import { findIbans } from './iban';
import { findNationalIds } from './national-ids';
import { findSecrets } from './secrets';
import type { RedactionKind, Span } from './span';

/** One detector per kind; their order breaks ties between spans of the same place and length. */
const DETECTORS: Array<[RedactionKind, (text: string) => Span[]]> = [
  ['secret', findSecrets],
  ['iban', findIbans],
  ['card', findCards],
  ['nationalId', findNationalIds],
];
const ORDER = new Map(DETECTORS.map(([kind], i) => [kind, i]));

/**
 * Case numbers (`CAS-000123-K7Q2M9XA4B`, lib/cases/numbering.ts) are what
 * agents look cases up by: nothing inside one is ever masked.
 */
const CASE_NUMBER = /\bCAS-\d{6,}-[0-9A-Z]{4,10}\b/g;

function caseNumberRanges(text: string): Array<[number, number]> {
  return [...text.matchAll(CASE_NUMBER)].map((m) => [m.index, m.index + m[0].length]);
}

/** Words that name an identity number right before it, in the four languages. */
const ID_LABEL_BEFORE = /\b(?:NIK|KTP|kependudukan|CNP|cod(?:ul)? numeric|TAJ|adóazonosító\p{L}*|national id|id number)\b[^\n]{0,20}$/iu;

const overlaps = (a: { start: number; end: number }, [start, end]: [number, number]) => a.start < end && start < a.end;

/** The sensitive spans in `text`, in order, none overlapping; only the kinds `isOn` accepts. */
export function findSensitive(text: string, isOn: (kind: RedactionKind) => boolean = () => true): Span[] {
  const found = DETECTORS.flatMap(([kind, find]) => (isOn(kind) ? find(text) : []));
  if (found.length === 0) return [];
  const protectedRanges = caseNumberRanges(text);
  // Earliest first; at the same place the longest, then the kind listed first,
  // except a national id its own label names (a NIK can also be Luhn-valid).
  const rank = (span: Span) => (span.kind === 'nationalId' && ID_LABEL_BEFORE.test(text.slice(Math.max(0, span.start - 40), span.start)) ? -1 : ORDER.get(span.kind)!);
  found.sort((a, b) => a.start - b.start || b.end - a.end || rank(a) - rank(b));
  const spans: Span[] = [];
  for (const span of found) {
    const last = spans.at(-1);
    if (last && span.start < last.end) continue;
    if (protectedRanges.some((range) => overlaps(span, range))) continue;
    spans.push(span);
  }
  return spans;
}

export type { RedactionKind, RedactionLabel, Span } from './span';
export { REDACTION_KINDS, REDACTION_LABELS } from './span';
