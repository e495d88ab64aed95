/**
 * schema.org items, whatever the syntax that marks them up (microdata,
 * RDFa): a Person or an organisation with its name, company, emails and
 * phones, read from the item's own properties. A property belongs to the
 * nearest enclosing item, so a nested item never leaks into its parent. The
 * syntaxes differ only in how they mark items, properties and values: that is
 * what each extractor passes in.
 */
import { MAX_ITEMS, type ContactFinding } from './finding';
import { isOrganizationType, isPersonType } from './schema-types';

export interface ItemSyntax {
  /** The elements that are items of a type. */
  items: string;
  /** What makes an element the owner of the properties inside it. */
  scope: string;
  /** The attribute naming an element's properties, and how a raw name reads as a schema.org name. */
  propertyAttribute: string;
  propertyName(raw: string): string;
  /** The item's schema.org type name. */
  typeOf(item: Element): string;
  /** The property value of an element that is not an item itself. */
  valueOf(el: Element): string;
  /** An item that is another item's property (an author, a department): not what the page is about. */
  isNested(item: Element): boolean;
  /** How a single value is tidied. */
  tidy(value: string): string;
}

type Properties = Map<string, Element[]>;

export function extractItems(doc: Document, syntax: ItemSyntax): ContactFinding[] {
  const isItem = (el: Element) => el.matches(syntax.scope);

  function propertiesOf(item: Element): Properties {
    const props: Properties = new Map();
    for (const el of Array.from(item.querySelectorAll(`[${syntax.propertyAttribute}]`))) {
      if ((el.parentElement?.closest(syntax.scope) ?? null) !== item) continue;
      for (const raw of (el.getAttribute(syntax.propertyAttribute) ?? '').trim().split(/\s+/)) {
        const name = syntax.propertyName(raw);
        if (!name) continue;
        const list = props.get(name) ?? [];
        list.push(el);
        props.set(name, list);
      }
    }
    return props;
  }

  const first = (props: Properties, name: string): string | undefined => {
    const el = props.get(name)?.[0];
    return (el && !isItem(el) ? syntax.tidy(syntax.valueOf(el)) : '') || undefined;
  };
  const all = (props: Properties, name: string): string[] => (props.get(name) ?? []).filter((el) => !isItem(el)).map(syntax.valueOf);

  function nameOf(props: Properties): string | undefined {
    const name = first(props, 'name') ?? first(props, 'legalName');
    if (name) return name;
    const parts = [first(props, 'givenName'), first(props, 'familyName')].filter(Boolean);
    return parts.length > 0 ? parts.join(' ') : undefined;
  }

  function contactsOf(props: Properties): { emails: string[]; phones: string[] } {
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

  function companyOf(props: Properties): string | undefined {
    for (const key of ['worksFor', 'affiliation', 'memberOf']) {
      for (const el of props.get(key) ?? []) {
        const name = isItem(el) ? nameOf(propertiesOf(el)) : syntax.valueOf(el).trim();
        if (name) return name;
      }
    }
    return undefined;
  }

  const findings: ContactFinding[] = [];
  for (const item of Array.from(doc.querySelectorAll(syntax.items)).slice(0, MAX_ITEMS)) {
    const type = syntax.typeOf(item);
    const nested = syntax.isNested(item);
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
