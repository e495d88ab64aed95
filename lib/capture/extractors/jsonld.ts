/**
 * schema.org in JSON-LD: Person, Organization (and its subtypes such as
 * LocalBusiness) and their ContactPoint, found at the top level, in arrays, in
 * `@graph` and nested (`worksFor`, `author`…), with `@id` references resolved.
 * Malformed JSON is common on real sites (trailing commas, raw line breaks in
 * strings): one repair is tried, then the block is skipped; it never throws.
 */
import { MAX_ITEMS, type ContactFinding } from './finding';
import { isOrganizationType, isPersonType, schemaTypeName } from './schema-types';

const SCRIPTS = 'script[type="application/ld+json"]';
/** Bigger blocks are product catalogues, not contact data. */
const MAX_BLOCK = 512 * 1024;
const MAX_DEPTH = 12;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseLenient(text: string): Json | undefined {
  const trimmed = text.trim().replace(/^<!--|-->$/g, '').replace(/^\/\/<!\[CDATA\[|\/\/\]\]>$/g, '');
  try {
    return JSON.parse(trimmed) as Json;
  } catch {
    try {
      // Raw control characters inside strings and trailing commas: the usual hand-written mistakes.
      const repaired = trimmed.replace(/[\u0000-\u001F]+/g, ' ').replace(/,\s*([}\]])/g, '$1');
      return JSON.parse(repaired) as Json;
    } catch {
      return undefined;
    }
  }
}

function typesOf(node: JsonObject): string[] {
  const type = node['@type'];
  const list = Array.isArray(type) ? type : [type];
  // "https://schema.org/Person", "schema:Person" and "Person" are the same type.
  return list.filter((t): t is string => typeof t === 'string').map(schemaTypeName);
}

const isPerson = (node: JsonObject) => typesOf(node).some(isPersonType);
const isOrganization = (node: JsonObject) => typesOf(node).some(isOrganizationType);

function strings(value: Json | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap((item) => (typeof item === 'string' ? [item] : []));
  return [];
}

function asList(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function nameOf(node: JsonObject): string | undefined {
  const name = strings(node.name)[0] ?? strings(node.legalName)[0];
  if (name) return name;
  const parts = [strings(node.givenName)[0], strings(node.familyName)[0]].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

export function extractJsonLd(doc: Document): ContactFinding[] {
  const roots: Json[] = [];
  for (const script of Array.from(doc.querySelectorAll(SCRIPTS)).slice(0, 50)) {
    const text = script.textContent ?? '';
    if (text.length > MAX_BLOCK) continue;
    const parsed = parseLenient(text);
    if (parsed !== undefined) roots.push(parsed);
  }

  // Every object, flattened, so `{"@id": "#org"}` references can be resolved.
  const nodes: JsonObject[] = [];
  const byId = new Map<string, JsonObject>();
  const collect = (value: Json, depth: number) => {
    if (depth > MAX_DEPTH || nodes.length > MAX_ITEMS * 5) return;
    if (Array.isArray(value)) value.forEach((item) => collect(item, depth + 1));
    else if (isObject(value)) {
      nodes.push(value);
      const id = value['@id'];
      if (typeof id === 'string' && Object.keys(value).length > 1) byId.set(id, value);
      for (const [key, child] of Object.entries(value)) if (key !== '@context') collect(child, depth + 1);
    }
  };
  roots.forEach((root) => collect(root, 0));
  // What the page itself is about: a root object, an item of a root array or of a root's @graph.
  const topLevel = new Set<Json>();
  for (const root of roots) {
    for (const item of Array.isArray(root) ? root : [root]) {
      topLevel.add(item);
      if (isObject(item)) asList(item['@graph']).forEach((node) => topLevel.add(node));
    }
  }

  const resolve = (value: Json): JsonObject | undefined => {
    if (!isObject(value)) return undefined;
    const id = value['@id'];
    return typeof id === 'string' && Object.keys(value).length === 1 ? byId.get(id) : value;
  };

  const contactsOf = (node: JsonObject) => {
    const emails = strings(node.email);
    const phones = strings(node.telephone);
    for (const point of asList(node.contactPoint)) {
      const resolved = resolve(point);
      if (!resolved) continue;
      emails.push(...strings(resolved.email));
      phones.push(...strings(resolved.telephone));
    }
    return { emails, phones };
  };

  const companyOf = (node: JsonObject): string | undefined => {
    for (const key of ['worksFor', 'affiliation', 'memberOf']) {
      for (const value of asList(node[key])) {
        if (typeof value === 'string') return value;
        const org = resolve(value);
        const name = org && nameOf(org);
        if (name) return name;
      }
    }
    return undefined;
  };

  const isNestedContactPoint = (point: JsonObject) =>
    nodes.some((node) => asList(node.contactPoint).some((item) => item === point || resolve(item) === point));

  const findings: ContactFinding[] = [];
  const seen = new Set<JsonObject>();
  for (const raw of nodes) {
    const node = resolve(raw) ?? raw;
    if (seen.has(node) || findings.length >= MAX_ITEMS) continue;
    seen.add(node);
    if (isPerson(node)) {
      const nested = !topLevel.has(raw) && !topLevel.has(node);
      findings.push({ kind: 'person', name: nameOf(node), company: companyOf(node), ...contactsOf(node), ...(nested ? { nested } : {}) });
    } else if (isOrganization(node)) {
      findings.push({ kind: 'organization', company: nameOf(node), ...contactsOf(node) });
    } else if (typesOf(node).includes('ContactPoint') && !isNestedContactPoint(node)) {
      // A ContactPoint on its own still gives an address to reach someone.
      findings.push({ kind: 'organization', emails: strings(node.email), phones: strings(node.telephone) });
    }
  }
  return findings;
}
