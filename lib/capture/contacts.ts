/**
 * Emails and phones as the rest of Sidecase stores them: emails lower-cased
 * and checked, phones in E.164 when the number says (or the agent's default
 * country lets us know) which country it belongs to. Plus the rule that the
 * agent's own addresses and names are never the customer.
 */
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { cleanLine } from './clean';
import { CAPTURE_LIMITS } from './limits';

// Deliberately plain: ASCII local part and a dotted domain with a letter TLD.
// Quoted local parts and IP-literal domains are legal but never customers' addresses.
const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,10}[a-z]{2,24}$/;

/** The address as stored (lower case, no `mailto:`), or undefined when it is not one. */
export function normaliseEmail(raw: string): string | undefined {
  const value = cleanLine(raw, CAPTURE_LIMITS.email * 2)
    .replace(/^mailto:/i, '')
    .toLowerCase();
  if (value.length > CAPTURE_LIMITS.email || !EMAIL.test(value)) return undefined;
  if (value.includes('..') || value.startsWith('.') || value.includes('.@')) return undefined;
  return value;
}

export interface PhoneFound {
  /** As written on the page, cleaned. */
  value: string;
  /** `+3620…` when the number could be normalised. */
  e164?: string;
}

export function supportedCountry(country: string | undefined): CountryCode | undefined {
  if (!country) return undefined;
  const upper = country.toUpperCase();
  return isSupportedCountry(upper) ? (upper as CountryCode) : undefined;
}

/**
 * A phone number, normalised to E.164 when it is valid. A national number
 * without a default country stays as written and gets no `e164`: guessing
 * the country would invent a number.
 */
export function normalisePhone(raw: string, country?: CountryCode): PhoneFound | undefined {
  const value = cleanLine(raw, CAPTURE_LIMITS.phone * 2)
    .replace(/^tel:/i, '')
    .trim();
  if (value.length > CAPTURE_LIMITS.phone || !/^\+?[\d\s().\/-]+$/.test(value)) return undefined;
  const digits = value.replace(/\D/g, '').length;
  if (digits < 5 || digits > 17) return undefined;
  const parsed = value.startsWith('+') || country ? parsePhoneNumberFromString(value, country) : undefined;
  return parsed?.isValid() ? { value, e164: parsed.number } : { value };
}

/** `Ana Kovács <ana@example.com>` → name and email; undefined when the text is not of that form. */
export function parseNameAddress(text: string): { name?: string; email: string } | undefined {
  const match = /^\s*"?([^<>"]*?)"?\s*<\s*([^<>\s]+@[^<>\s]+)\s*>\s*$/.exec(text);
  if (!match) return undefined;
  const email = normaliseEmail(match[2] ?? '');
  if (!email) return undefined;
  const name = match[1]?.trim();
  return name ? { name, email } : { email };
}

function foldName(name: string): string {
  return cleanLine(name, CAPTURE_LIMITS.name).normalize('NFKC').toLocaleLowerCase();
}

export interface OwnMatcher {
  /** The agent's own address, or an address at one of the agent's domains (or their subdomains). */
  isOwnEmail(email: string): boolean;
  /** The agent's own display name, as chat sites show it on the agent's messages. */
  isOwnName(name: string): boolean;
}

export function ownMatcher(ownAddresses: readonly string[], ownNames: readonly string[] = []): OwnMatcher {
  const emails = new Set<string>();
  const domains: string[] = [];
  for (const raw of ownAddresses) {
    const value = raw.trim().toLowerCase().replace(/^@/, '');
    if (!value) continue;
    if (value.includes('@')) emails.add(value);
    else domains.push(value);
  }
  const names = new Set(ownNames.map(foldName).filter((name) => name.length > 0));
  return {
    isOwnEmail(email) {
      const lower = email.toLowerCase();
      if (emails.has(lower)) return true;
      const domain = lower.slice(lower.lastIndexOf('@') + 1);
      return domains.some((own) => domain === own || domain.endsWith('.' + own));
    },
    isOwnName(name) {
      return names.has(foldName(name));
    },
  };
}
