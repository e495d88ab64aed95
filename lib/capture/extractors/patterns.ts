/**
 * Emails and phone numbers written in plain text (a selection, a mail body,
 * a page). Every scan is linear in the text: emails are found by looking
 * around each "@" with bounded steps, phones by a regular expression whose
 * every repetition is bounded, so 2 MB of hostile text cannot make the
 * engine backtrack for seconds. Phone candidates are confirmed by
 * libphonenumber-js rather than trusted on their shape.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

const MAX_FOUND = 50;
/** Phone-shaped runs checked with libphonenumber (each check costs microseconds, not nothing). */
const MAX_PHONE_TRIES = 500;

const LOCAL_MAX = 64;
const DOMAIN_MAX = 253;
const isLocalChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 /* . */ ||
  c === 95 /* _ */ || c === 37 /* % */ || c === 43 /* + */ || c === 45 /* - */;
const isDomainChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 45;

/** Email-shaped strings, as written; normaliseEmail decides which are addresses. */
export function findEmails(text: string): string[] {
  const found: string[] = [];
  let at = text.indexOf('@');
  while (at !== -1 && found.length < MAX_FOUND) {
    let start = at;
    while (start > 0 && at - start < LOCAL_MAX && isLocalChar(text.charCodeAt(start - 1))) start--;
    let end = at + 1;
    while (end < text.length && end - at <= DOMAIN_MAX && isDomainChar(text.charCodeAt(end))) end++;
    const local = text.slice(start, at).replace(/^[.]+/, '');
    const domain = text.slice(at + 1, end).replace(/[.-]+$/, '');
    if (local && /\.[a-z]{2,24}$/i.test(domain)) found.push(`${local}@${domain}`);
    at = text.indexOf('@', Math.max(end, at + 1));
  }
  return found;
}

// An optional "+", then 7–24 digits and separators ending in a digit, not glued to a word or a longer number.
const PHONE_SHAPE = /(?<![\w+])\+?\(?\d[\d \u00A0().\/-]{5,22}\d(?![\w])/g;

// Dates are the commonest phone-shaped false positive ("2025-02-28", "28.02.2025"): the
// small metadata of libphonenumber-js/min checks lengths only, so they are ruled out here.
const DATE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/;

export interface PhoneInText {
  value: string;
  e164: string;
}

/**
 * Valid phone numbers in text. International numbers ("+36 20 …") are found
 * always; national ones ("06 20 …", "(415) 555…") only with a default country,
 * because without one their country would be a guess.
 */
export function findPhones(text: string, country?: CountryCode): PhoneInText[] {
  const found: PhoneInText[] = [];
  let tries = 0;
  for (const match of text.matchAll(PHONE_SHAPE)) {
    if (found.length >= MAX_FOUND || ++tries > MAX_PHONE_TRIES) break;
    const value = match[0].replace(/\u00A0/g, ' ');
    const digits = value.replace(/\D/g, '').length;
    if (digits < 7 || digits > 15) continue;
    if (!value.startsWith('+') && !country) continue;
    if (DATE.test(value.trim())) continue;
    const parsed = parsePhoneNumberFromString(value, country);
    if (parsed?.isValid()) found.push({ value, e164: parsed.number });
  }
  return found;
}
