/**
 * Contact cards in microformats: microformats2 `h-card` (p-name, u-email,
 * p-tel / u-tel, p-org) and the classic hCard `vcard` (fn, email, tel, org).
 * A property belongs to the nearest enclosing card, so a nested card (an
 * organisation as `p-org h-card`) never leaks its details into the person.
 */
import { MAX_ITEMS, type ContactFinding } from './finding';

const CARDS = '.h-card, .vcard';

const PROPS = {
  name: ['p-name', 'fn'],
  email: ['u-email', 'email'],
  tel: ['p-tel', 'u-tel', 'tel'],
  org: ['p-org', 'org'],
} as const;

function cardOf(el: Element): Element | null {
  return el.parentElement?.closest(CARDS) ?? null;
}

function hasClass(el: Element, names: readonly string[]): boolean {
  return names.some((name) => el.classList.contains(name));
}

/** The property's value: a link's target, an image's alt, a `.value` child (classic hCard), else its text. */
function valueOf(el: Element): string {
  if (el.localName === 'a' || el.localName === 'area') {
    const href = el.getAttribute('href') ?? '';
    if (/^(mailto|tel):/i.test(href)) return href;
  }
  if (el.localName === 'img' || el.localName === 'area') return el.getAttribute('alt') ?? '';
  if (el.localName === 'data') return el.getAttribute('value') ?? '';
  if (el.localName === 'abbr' && el.hasAttribute('title')) return el.getAttribute('title') ?? '';
  const inner = el.querySelector(':scope > .value');
  return (inner ?? el).textContent ?? '';
}

/** The name of a nested organisation card, or the text of a plain `p-org`. */
function orgValue(el: Element): string {
  if (el.matches(CARDS)) {
    const name = Array.from(el.querySelectorAll('.p-name, .fn, .organization-name')).find((n) => cardOf(n) === el);
    return (name ?? el).textContent ?? '';
  }
  const orgName = el.querySelector(':scope > .organization-name');
  return (orgName ?? el).textContent ?? '';
}

export function extractHCards(doc: Document): ContactFinding[] {
  const findings: ContactFinding[] = [];
  for (const card of Array.from(doc.querySelectorAll(CARDS)).slice(0, MAX_ITEMS)) {
    // An organisation card nested as a property of a person is read with that person.
    if (hasClass(card, PROPS.org) && cardOf(card)) continue;
    let name: string | undefined;
    let company: string | undefined;
    const emails: string[] = [];
    const phones: string[] = [];
    for (const el of Array.from(card.querySelectorAll('[class]'))) {
      if (cardOf(el) !== card) continue;
      if (!name && hasClass(el, PROPS.name)) name = valueOf(el).trim() || undefined;
      if (hasClass(el, PROPS.email)) emails.push(valueOf(el));
      if (hasClass(el, PROPS.tel)) phones.push(valueOf(el));
      if (!company && hasClass(el, PROPS.org)) company = orgValue(el).trim() || undefined;
    }
    // A card whose only name is its organisation describes the organisation (hCard's "org" convention).
    const isOrganization = !name || (company !== undefined && name === company);
    findings.push(
      isOrganization
        ? { kind: 'organization', company: company ?? name, emails, phones }
        : { kind: 'person', name, company, emails, phones },
    );
  }
  return findings;
}
