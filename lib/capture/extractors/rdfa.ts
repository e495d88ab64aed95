/**
 * schema.org in RDFa (Lite): `typeof` items of type Person or organisation,
 * with `property` values (`name`, `email`, `telephone`, `worksFor`,
 * `contactPoint`). A property belongs to the nearest enclosing `typeof`
 * element, so a nested item never leaks into its parent; an element with
 * both `property` and `typeof` is a nested item, the parent's property
 * (items.ts reads them; this file says how RDFa marks them).
 */
import type { ContactFinding } from './finding';
import { extractItems, type ItemSyntax } from './items';
import { schemaTypeName } from './schema-types';

/** The RDFa value: `content` first, then a link's target, else the text. */
function valueOf(el: Element): string {
  const content = el.getAttribute('content');
  if (content !== null) return content;
  if (el.localName === 'a' || el.localName === 'area' || el.localName === 'link') return el.getAttribute('href') ?? '';
  if (el.localName === 'time') return el.getAttribute('datetime') ?? el.textContent ?? '';
  return el.textContent ?? '';
}

const RDFA: ItemSyntax = {
  items: '[typeof]',
  scope: '[typeof]',
  propertyAttribute: 'property',
  // `schema:name` or a full IRI reads as `name`.
  propertyName: schemaTypeName,
  typeOf: (item) => schemaTypeName((item.getAttribute('typeof') ?? '').trim().split(/\s+/)[0] ?? ''),
  valueOf,
  isNested: (item) => item.hasAttribute('property'),
  tidy: (value) => value.replace(/\s+/g, ' ').trim(),
};

export function extractRdfa(doc: Document): ContactFinding[] {
  return extractItems(doc, RDFA);
}
