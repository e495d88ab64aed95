/**
 * IBANs, compact (`RO49AAAA1B31007593840000`) or printed in groups
 * (`RO49 AAAA 1B31 0075 9384 0000`). The country's length and BBAN layout and
 * the mod-97 check digits are `ibantools`' (`isValidIBAN`): a run of letters
 * and digits that merely starts like an IBAN is left alone.
 */
import { getCountrySpecifications, isValidIBAN } from 'ibantools';
import { maskKeepingLast, type Span } from './span';

const START = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?=[ ]?[A-Za-z0-9])/g;
let lengths: Map<string, number> | undefined;

function lengthOf(country: string): number | undefined {
  if (!lengths) {
    lengths = new Map();
    for (const [code, spec] of Object.entries(getCountrySpecifications())) if (spec.chars) lengths.set(code, spec.chars);
  }
  return lengths.get(country);
}

const isAlnum = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);

export function findIbans(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(START)) {
    const start = match.index;
    const length = lengthOf(match[0].slice(0, 2).toUpperCase());
    if (!length) continue;
    // Read the rest of the IBAN's characters, allowing one space between any two.
    let compact = match[0];
    let end = start + match[0].length;
    while (compact.length < length) {
      if (text[end] === ' ' && isAlnum(text[end + 1])) end += 1;
      if (!isAlnum(text[end])) break;
      compact += text[end];
      end += 1;
    }
    if (compact.length !== length || isAlnum(text[end])) continue;
    compact = compact.toUpperCase();
    if (!isValidIBAN(compact)) continue;
    spans.push({ kind: 'iban', label: 'iban', start, end, masked: maskKeepingLast(compact, 4, 4) });
  }
  return spans;
}
