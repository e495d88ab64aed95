/**
 * schema.org in RDFa (Lite): `typeof` items of type Person or organisation,
 * with `property` values (`name`, `email`, `telephone`, `worksFor`,
 * `contactPoint`). A property belongs to the nearest enclosing `typeof`
 * element, so a nested item never leaks into its parent; an element with
 * both `property` and `typeof` is a nested item, the parent's property.
 */
import { MAX_ITEMS, type ContactFinding } from './finding';
import { isOrganizationType, isPersonType, schemaTypeName } from './schema-types';

const ITEMS = '[typeof]';

function typeOf(item: Element): string {
  return schemaTypeName((item.getAttribute('typeof') ?? '').trim().split(/\s+/)[0] ?? '');
}

function ownerOf(prop: Element): Element | null {
  return prop.parentElement?.closest(ITEMS) ?? null;
}

function propertiesOf(item: Element): Map<string, Element[]> {
  const props = new Map<string, Element[]>();
  for (const el of Array.from(item.querySelectorAll('[property]'))) {
    if (ownerOf(el) !== item) continue;
    for (const raw of (el.getAttribute('property') ?? '').trim().split(/\s+/)) {
      const name = schemaTypeName(raw);
      if (!name) continue;
      const list = props.get(name) ?? [];
      list.push(el);
      props.set(name, list);
    }
  }
  return props;
}

/** The RDFa value: `content` first, then a link's target, else the text. */
function valueOf(el: Element): string {
  const content = el.getAttribute('content');
  if (content !== null) return content;
  if (el.localName === 'a' || el.localName === 'area' || el.localName === 'link') return el.getAttribute('href') ?? '';
  if (el.localName === 'time') return el.getAttribute('datetime') ?? el.textContent ?? '';
  return el.textContent ?? '';
}

const isItem = (el: Element) => el.hasAttribute('typeof');

function first(props: Map<string, Element[]>, name: string): string | undefined {
  const el = props.get(name)?.[0];
  const value = el && !isItem(el) ? valueOf(el).replace(/\s+/g, ' ').trim() : '';
  return value || undefined;
}

function all(props: Map<string, Element[]>, name: string): string[] {
  return (props.get(name) ?? []).filter((el) => !isItem(el)).map(valueOf);
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
    if (!isItem(point)) continue;
    const pointProps = propertiesOf(point);
    emails.push(...all(pointProps, 'email'));
    phones.push(...all(pointProps, 'telephone'));
  }
  return { emails, phones };
}

function companyOf(props: Map<string, Element[]>): string | undefined {
  for (const key of ['worksFor', 'affiliation', 'memberOf']) {
    for (const el of props.get(key) ?? []) {
      const name = isItem(el) ? nameOf(propertiesOf(el)) : valueOf(el).trim();
      if (name) return name;
    }
  }
  return undefined;
}

export function extractRdfa(doc: Document): ContactFinding[] {
  const findings: ContactFinding[] = [];
  for (const item of Array.from(doc.querySelectorAll(ITEMS)).slice(0, MAX_ITEMS)) {
    const type = typeOf(item);
    const nested = item.hasAttribute('property');
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
