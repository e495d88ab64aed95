/**
 * National identity numbers of the four languages' countries, each only when
 * its own check holds:
 *
 * - Romanian CNP: 13 digits S YYMMDD JJ NNN C; sex/century 1–9, a real date,
 *   a county code (01–52, 70, 80–83), control digit by the weights 279146358279.
 * - Hungarian TAJ (social security): 9 digits, the 9th the CDV (odd places ×3,
 *   even ×7, mod 10). Nine digits are also what many invoice numbers are, so a
 *   TAJ needs its label ("TAJ", "TAJ-szám", "társadalombiztosítási") before it.
 * - Hungarian tax id (adóazonosító jel): 10 digits, 8 first, then the birth
 *   date as days since 1867-01-01 (a birth since 1900), the 10th the sum of
 *   digit × place mod 11.
 * - Indonesian NIK: 16 digits PP KK CC DDMMYY SSSS; a province code in use,
 *   regency and district not 00, the birth day (women +40) and month real,
 *   serial not 0000.
 *
 * The masked form keeps the last three digits: enough to tell two apart.
 */
import { isKeptNumber } from './kept-numbers';
import { BULLET, digitsOf, type RedactionLabel, type Span } from './span';

// 9 to 16 digits, compact or with single spaces or dashes, not part of a longer run or a phone (+), path or query (/ =).
const CANDIDATE = /(?<![\d+/=]|\d[ -])\d(?:[ -]?\d){8,15}(?![ -]?\d|[.,]\d)/g;

const CNP_WEIGHTS = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9];
const CNP_COUNTIES = new Set([...Array.from({ length: 52 }, (_, i) => i + 1), 70, 80, 81, 82, 83]);

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function isCnp(d: string): boolean {
  if (!/^[1-9]\d{12}$/.test(d)) return false;
  const century = { 1: 1900, 2: 1900, 3: 1800, 4: 1800, 5: 2000, 6: 2000, 7: 1900, 8: 1900, 9: 1900 }[Number(d[0])]!;
  if (!isRealDate(century + Number(d.slice(1, 3)), Number(d.slice(3, 5)), Number(d.slice(5, 7)))) return false;
  if (!CNP_COUNTIES.has(Number(d.slice(7, 9)))) return false;
  const sum = CNP_WEIGHTS.reduce((acc, w, i) => acc + w * Number(d[i]), 0);
  const control = sum % 11 === 10 ? 1 : sum % 11;
  return control === Number(d[12]);
}

export function isTaj(d: string): boolean {
  if (!/^\d{9}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(d[i]) * (i % 2 === 0 ? 3 : 7);
  return sum % 10 === Number(d[8]);
}

const DAYS_1867_TO_1900 = 12_053;
export function isHuTaxId(d: string): boolean {
  if (!/^8\d{9}$/.test(d)) return false;
  const days = Number(d.slice(1, 6));
  const born = Date.UTC(1867, 0, 1) + days * 86_400_000;
  if (days < DAYS_1867_TO_1900 || born > Date.now()) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(d[i]) * (i + 1);
  return sum % 11 === Number(d[9]);
}

/** Province codes of Dukcapil (Aceh 11 … Papua 9x). */
const NIK_PROVINCES = new Set([11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97]);
export function isNik(d: string): boolean {
  if (!/^\d{16}$/.test(d)) return false;
  if (!NIK_PROVINCES.has(Number(d.slice(0, 2)))) return false;
  if (d.slice(2, 4) === '00' || d.slice(4, 6) === '00' || d.slice(12) === '0000') return false;
  const rawDay = Number(d.slice(6, 8));
  const day = rawDay > 40 ? rawDay - 40 : rawDay;
  // Two-digit year: any century fits; 2000 is a leap year, so 29 February passes.
  return isRealDate(2000 + Number(d.slice(10, 12)), Number(d.slice(8, 10)), day);
}

/** A NIK is printed compact on the KTP; written in groups it needs its label, or every grouped 16-digit number would be read as one. */
const NIK_LABEL = /\b(?:NIK|KTP|kependudukan)\b[^\n\d]{0,25}$/i;
const TAJ_LABEL = /(?:\bTAJ\b|társadalombiztosítási|tb[- ]?szám)[^\n\d]{0,25}$/i;

function masked(digits: string): string {
  return BULLET.repeat(digits.length - 3) + digits.slice(-3);
}

function labelOf(digits: string, isCompact: boolean, before: string): RedactionLabel | undefined {
  switch (digits.length) {
    case 13:
      return isCnp(digits) ? 'cnp' : undefined;
    case 16:
      return isNik(digits) && (isCompact || NIK_LABEL.test(before)) ? 'nik' : undefined;
    case 10:
      return isHuTaxId(digits) ? 'huTaxId' : undefined;
    case 9:
      return isTaj(digits) && TAJ_LABEL.test(before) ? 'taj' : undefined;
    default:
      return undefined;
  }
}

export function findNationalIds(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    if (isKeptNumber(text, match.index)) continue;
    const digits = digitsOf(match[0]);
    const label = labelOf(digits, digits.length === match[0].length, text.slice(Math.max(0, match.index - 40), match.index));
    if (label) spans.push({ kind: 'nationalId', label, start: match.index, end: match.index + match[0].length, masked: masked(digits) });
  }
  return spans;
}
