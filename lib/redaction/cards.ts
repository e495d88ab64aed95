/**
 * Payment card numbers (PCI DSS: a desk must never store the full number).
 *
 * A candidate is 14–19 digits, compact or written in the groups card issuers
 * print (fours, or Amex/Diners 4-6-5 / 4-6-4), with spaces or dashes. It is a
 * card only when `card-validator` says it is: a known issuer's range
 * (`credit-card-type`), that issuer's length, and the Luhn check (UnionPay
 * included). What agents need to keep is not a card: a run that goes on with
 * more digits (a 22-digit tracking number), a phone (`+`), a path or query
 * value (`/`, `=`), a decimal amount, or a number labelled as an order,
 * invoice, tracking or case number right before it.
 */
// The card-number check alone: the package's index brings its expiry, CVV and postal-code checks too.
import { cardNumber } from 'card-validator/dist/card-number';
import luhn10 from 'card-validator/dist/luhn-10';
import { isKeptNumber } from './kept-numbers';
import { digitsOf, maskKeepingLast, type Span } from './span';

/** Diners' 14 is the shortest card printed today. */
const MIN_DIGITS = 14;
const CANDIDATE = /(?<![\d+/=]|\d[ -])\d(?:[ -]?\d){12,18}(?![ -]?\d|[.,]\d)/g;

/** Group lengths a card is printed in: fours (the last one shorter on 13/15/17/18/19 digits), Amex 4-6-5, Diners 4-6-4. */
function isCardLayout(raw: string): boolean {
  const groups = raw.split(/[ -]/).map((g) => g.length);
  if (groups.length === 1) return true;
  const layout = groups.join('-');
  if (layout === '4-6-5' || layout === '4-6-4') return true;
  return groups.slice(0, -1).every((n) => n === 4) && groups.at(-1)! >= 1 && groups.at(-1)! <= 4;
}

export function findCards(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    const raw = match[0];
    if (!isCardLayout(raw)) continue;
    const digits = digitsOf(raw);
    // Maestro allows 12 and 13 digits, but the cards in use carry 16–19; a 13-digit run is far more
    // often a CNP, a bank account or a courier's AWB number (one in ten of them Luhn-valid).
    if (digits.length < MIN_DIGITS) continue;
    // Luhn first: the issuer lookup copies its whole table on each call, and nine candidates in ten fail here.
    if (!luhn10(digits)) continue;
    if (!cardNumber(digits, { luhnValidateUnionPay: true }).isValid) continue;
    const start = match.index;
    if (isKeptNumber(text, start)) continue;
    spans.push({ kind: 'card', label: 'card', start, end: start + raw.length, masked: maskKeepingLast(digits, 0, 4) });
  }
  return spans;
}
