/**
 * Phone numbers as agents type them. A customer's +36 30 123 4567 is asked
 * for as "+36 30 123 4567", "0036 30…", "06 30 123 4567" (national, with the
 * trunk prefix), "30 123 4567" (without it), "123 4567" (the local number)
 * or "4567" (the last four digits). Search matches word prefixes, so a stored
 * phone is cut into the words those start: its digits as written, its
 * international digits, its national form with the trunk prefix, and every
 * run of its trailing digits from four on (which holds the number without
 * the trunk prefix, the local number however long the area code is, and the
 * last four). A number stored without its country ("0744 321 987") gets the
 * runs of its own digits; an international query finds it through its
 * national digits (phoneQueryDigits).
 *
 * Pure, and free of libphonenumber-js on purpose: these words are cut in the
 * panel's first chunk (lib/db/db.ts imports words.ts), where that library's
 * metadata would weigh about 30 KB gzipped. The two tables below are all of
 * its metadata search needs; tests/unit/search/phones.test.ts checks them
 * against libphonenumber-js's own.
 */
import { phoneDigits } from './text';

/** The shortest trailing run stored: the last four digits, which agents read back to customers. */
const MIN_RUN = 4;
/**
 * An international query with this many national digits is looked up by its
 * national digits, which every stored form of the number ends with (one
 * stored without its country too). Fewer, and it is looked up as typed: a
 * short run would also start the middle of many other numbers.
 */
const NATIONAL_QUERY_MIN = 7;

/**
 * Country calling codes (ITU E.164, geographic and global services). No code
 * is the start of another, so a number's code is the one of its first one to
 * three digits that is listed.
 */
const CALLING_CODES = new Set(
  (
    '1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 ' +
    '90 91 92 93 94 95 98 211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 231 232 233 234 235 236 237 ' +
    '238 239 240 241 242 243 244 245 246 247 248 249 250 251 252 253 254 255 256 257 258 260 261 262 263 264 265 266 ' +
    '267 268 269 290 291 297 298 299 350 351 352 353 354 355 356 357 358 359 370 371 372 373 374 375 376 377 378 380 ' +
    '381 382 383 385 386 387 389 420 421 423 500 501 502 503 504 505 506 507 508 509 590 591 592 593 594 595 596 597 ' +
    '598 599 670 672 673 674 675 676 677 678 679 680 681 682 683 685 686 687 688 689 690 691 692 800 808 850 852 853 ' +
    '855 856 870 878 880 881 882 883 886 888 960 961 962 963 964 965 966 967 968 970 971 972 973 974 975 976 977 979 ' +
    '992 993 994 995 996 998'
  ).split(' '),
);

/** Codes whose countries dial national numbers without a trunk prefix (Spain, Italy, Poland, Denmark…). */
const NO_TRUNK = new Set(
  (
    '30 34 39 45 47 48 52 56 65 216 220 221 222 223 224 225 226 227 228 229 230 235 236 237 238 239 240 241 242 244 ' +
    '245 246 247 248 253 257 258 266 267 268 269 290 297 298 299 350 351 352 354 356 357 371 372 376 378 420 500 501 ' +
    '502 503 504 505 506 507 509 592 597 599 670 672 673 674 675 676 677 678 679 680 681 682 683 685 687 688 689 690 ' +
    '691 800 808 852 853 870 878 881 882 883 888 960 965 968 973 974 975 979 992 998'
  ).split(' '),
);

/** Trunk prefixes other than 0: North America's 1, Russia's 8, Hungary's 06. */
const OTHER_TRUNK: Readonly<Record<string, string>> = { 1: '1', 692: '1', 7: '8', 375: '8', 993: '8', 36: '06' };

/** The trunk prefix a country's national numbers are dialled with ('' for none). */
export function trunkPrefixOf(callingCode: string): string {
  return OTHER_TRUNK[callingCode] ?? (NO_TRUNK.has(callingCode) ? '' : '0');
}

/** '36301234567' → { code: '36', national: '301234567' }; undefined when no calling code starts it. */
export function splitCallingCode(digits: string): { code: string; national: string } | undefined {
  for (let length = 1; length <= 3 && length < digits.length; length++) {
    const code = digits.slice(0, length);
    if (CALLING_CODES.has(code)) return { code, national: digits.slice(length) };
  }
  return undefined;
}

/** The digits after + or 00 of a number written internationally; undefined for a national one. */
function internationalDigits(text: string): string | undefined {
  const trimmed = text.trim();
  const digits = phoneDigits(trimmed);
  if (trimmed.startsWith('+')) return digits;
  if (digits.startsWith('00')) return digits.slice(2);
  return undefined;
}

/** '301234567' → 301234567, 01234567, 1234567, 234567, 34567, 4567. */
function trailingRuns(digits: string): string[] {
  const runs: string[] = [];
  for (let length = digits.length; length >= MIN_RUN; length--) runs.push(digits.slice(-length));
  return runs;
}

/** The digit words a stored phone is found by (each once, longest forms first). */
export function phoneNumberWords(phone: string): string[] {
  const digits = phoneDigits(phone);
  const international = internationalDigits(phone);
  const split = international === undefined ? undefined : splitCallingCode(international);
  if (!international || !split) return [...new Set([digits, ...trailingRuns(digits)])];
  const trunk = trunkPrefixOf(split.code);
  return [...new Set([digits, international, ...(trunk ? [trunk + split.national] : []), ...trailingRuns(split.national)])];
}

/**
 * The one digit token a phone-like query is looked up by: its digits, or for
 * an international number typed far enough (NATIONAL_QUERY_MIN) its national
 * digits, which also find the number stored without its country.
 */
export function phoneQueryDigits(query: string): string {
  const international = internationalDigits(query);
  if (international === undefined) return phoneDigits(query);
  const split = splitCallingCode(international);
  return split && split.national.length >= NATIONAL_QUERY_MIN ? split.national : international;
}
