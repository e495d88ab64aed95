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
  // The value-class pattern: the parts marked `.value`, in order ("John" … "Doe" → "John Doe").
  const parts = Array.from(el.querySelectorAll('.value')).filter((v) => {
    const outer = v.parentElement?.closest('.value');
    return !outer || !el.contains(outer);
  });
  if (parts.length > 0) return parts.map((v) => valueOf(v).trim()).join(' ');
  return el.textContent ?? '';
}

/** Text as a reader sees it: an image counts as its alt text, scripts and styles as nothing. */
function visibleText(el: Element): string {
  let text = '';
  for (const node of Array.from(el.childNodes)) {
    if (node.nodeType === 3) text += node.nodeValue ?? '';
    else if (node.nodeType === 1) {
      const child = node as Element;
      if (child.localName === 'img' || child.localName === 'area') text += ` ${child.getAttribute('alt') ?? ''} `;
      else if (child.localName !== 'script' && child.localName !== 'style') text += visibleText(child);
    }
  }
  return text;
}

const elementChildren = (el: Element) => Array.from(el.children);

/**
 * A microformats2 h-card with no p-name is named by its content, as the
 * microformats2 parsing rules imply: its own alt/title, or that of its only
 * child (or grandchild), else its text. Not when it has other p-* or e-*
 * properties or nested cards: then its text is more than a name.
 */
function impliedName(card: Element): string | undefined {
  if (!card.classList.contains('h-card')) return undefined;
  const descendants = Array.from(card.querySelectorAll('[class]'));
  if (descendants.some((d) => /(?:^|\s)(?:p|e|h)-/.test(d.getAttribute('class') ?? ''))) return undefined;
  const named = (el: Element): string | undefined => {
    if ((el.localName === 'img' || el.localName === 'area') && el.getAttribute('alt')) return el.getAttribute('alt') ?? undefined;
    if (el.localName === 'abbr' && el.getAttribute('title')) return el.getAttribute('title') ?? undefined;
    return undefined;
  };
  let el: Element | undefined = card;
  for (let depth = 0; el && depth < 3; depth++) {
    const name = named(el);
    if (name) return name;
    const children = elementChildren(el);
    el = children.length === 1 ? children[0] : undefined;
  }
  const text = visibleText(card).replace(/\s+/g, ' ').trim();
  return text || undefined;
}

/** The name of a nested organisation card, or the text of a plain `p-org`. */
function orgValue(el: Element): string {
  if (el.matches(CARDS)) {
    const name = Array.from(el.querySelectorAll('.p-name, .fn, .organization-name')).find((n) => cardOf(n) === el);
    return (name ?? el).textContent ?? '';
  }
  const orgName = el.querySelector(':scope > .organization-name');
  if (!orgName && (el.localName === 'img' || el.localName === 'area')) return el.getAttribute('alt') ?? '';
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
    name ??= impliedName(card);
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
