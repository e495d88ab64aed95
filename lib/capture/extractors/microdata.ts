/**
 * schema.org in microdata: `itemscope` items of type Person or Organization
 * (and subtypes), with `name`/`givenName`/`familyName`, `email`, `telephone`,
 * nested `worksFor`/`affiliation` organisations and `contactPoint` items.
 * A property belongs to the nearest enclosing `itemscope`, as the HTML
 * microdata algorithm says, so nested items never leak into their parent.
 */
import { MAX_ITEMS, type ContactFinding } from './finding';
import { isOrganizationType, isPersonType, schemaTypeName } from './schema-types';

const ITEMS = '[itemscope][itemtype]';

function typeOf(item: Element): string {
  // "https://schema.org/LocalBusiness" → "LocalBusiness"; several types: the first decides.
  return schemaTypeName((item.getAttribute('itemtype') ?? '').trim().split(/\s+/)[0] ?? '');
}

/** The item a property element belongs to: its nearest ancestor with `itemscope`. */
function ownerOf(prop: Element): Element | null {
  return prop.parentElement?.closest('[itemscope]') ?? null;
}

/** The item's own properties, name → elements, in document order. */
function propertiesOf(item: Element): Map<string, Element[]> {
  const props = new Map<string, Element[]>();
  for (const el of Array.from(item.querySelectorAll('[itemprop]'))) {
    if (ownerOf(el) !== item) continue;
    for (const name of (el.getAttribute('itemprop') ?? '').trim().split(/\s+/)) {
      if (!name) continue;
      const list = props.get(name) ?? [];
      list.push(el);
      props.set(name, list);
    }
  }
  return props;
}

/** The microdata value of a property element (the spec's table, for the elements contacts use). */
function valueOf(el: Element): string {
  switch (el.localName) {
    case 'meta':
      return el.getAttribute('content') ?? '';
    case 'a':
    case 'area':
    case 'link':
      return el.getAttribute('href') ?? '';
    case 'data':
    case 'meter':
      return el.getAttribute('value') ?? '';
    default:
      return el.textContent ?? '';
  }
}

function first(props: Map<string, Element[]>, name: string): string | undefined {
  const el = props.get(name)?.[0];
  const value = el && !el.hasAttribute('itemscope') ? valueOf(el).trim() : '';
  return value || undefined;
}

function all(props: Map<string, Element[]>, name: string): string[] {
  return (props.get(name) ?? []).filter((el) => !el.hasAttribute('itemscope')).map(valueOf);
}

function nameOf(props: Map<string, Element[]>): string | undefined {
  const name = first(props, 'name') ?? first(props, 'legalName');
  if (name) return name;
  const parts = [first(props, 'givenName'), first(props, 'familyName')].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function contactsOf(props: Map<string, Element[]>): { emails: string[]; phones: string[] } {
  const emails = all(props, 'email');
  const phones = all(props, 'telephone');
  for (const point of props.get('contactPoint') ?? []) {
    if (!point.hasAttribute('itemscope')) continue;
    const pointProps = propertiesOf(point);
    emails.push(...all(pointProps, 'email'));
    phones.push(...all(pointProps, 'telephone'));
  }
  return { emails, phones };
}

function companyOf(props: Map<string, Element[]>): string | undefined {
  for (const key of ['worksFor', 'affiliation', 'memberOf']) {
    for (const el of props.get(key) ?? []) {
      const name = el.hasAttribute('itemscope') ? nameOf(propertiesOf(el)) : valueOf(el).trim();
      if (name) return name;
    }
  }
  return undefined;
}

export function extractMicrodata(doc: Document): ContactFinding[] {
  const findings: ContactFinding[] = [];
  for (const item of Array.from(doc.querySelectorAll(ITEMS)).slice(0, MAX_ITEMS)) {
    const type = typeOf(item);
    // An item that is another item's property (an author, a department) is not what the page is about.
    const nested = item.hasAttribute('itemprop');
    if (isPersonType(type)) {
      const props = propertiesOf(item);
      findings.push({ kind: 'person', name: nameOf(props), company: companyOf(props), ...contactsOf(props), ...(nested ? { nested } : {}) });
    } else if (isOrganizationType(type)) {
      const props = propertiesOf(item);
      findings.push({ kind: 'organization', company: nameOf(props), ...contactsOf(props) });
    }
  }
  return findings;
}
