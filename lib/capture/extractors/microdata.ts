/**
 * schema.org in microdata: `itemscope` items of type Person or Organization
 * (and subtypes), with `name`/`givenName`/`familyName`, `email`, `telephone`,
 * nested `worksFor`/`affiliation` organisations and `contactPoint` items.
 * A property belongs to the nearest enclosing `itemscope`, as the HTML
 * microdata algorithm says, so nested items never leak into their parent
 * (items.ts reads them; this file says how microdata marks them).
 */
import type { ContactFinding } from './finding';
import { extractItems, type ItemSyntax } from './items';
import { schemaTypeName } from './schema-types';

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

const MICRODATA: ItemSyntax = {
  items: '[itemscope][itemtype]',
  scope: '[itemscope]',
  propertyAttribute: 'itemprop',
  propertyName: (raw) => raw,
  // "https://schema.org/LocalBusiness" → "LocalBusiness"; several types: the first decides.
  typeOf: (item) => schemaTypeName((item.getAttribute('itemtype') ?? '').trim().split(/\s+/)[0] ?? ''),
  valueOf,
  isNested: (item) => item.hasAttribute('itemprop'),
  tidy: (value) => value.trim(),
};

export function extractMicrodata(doc: Document): ContactFinding[] {
  return extractItems(doc, MICRODATA);
}
