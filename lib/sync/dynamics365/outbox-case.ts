/**
 * The case an outbox entry carries, for the mapping. Sidecase wrote it
 * itself: createCase and every edit parse the case with zod before the same
 * transaction writes it and its outbox entry, so a full Case.parse per change
 * (its title, tags, words and note words cleaned and checked again) is work a
 * long drain repeats for nothing. The fields the mapping reads are checked
 * here instead; anything else than the shape Sidecase writes (an entry of an
 * older version, a hand-edited database) goes through Case.safeParse as
 * before, and an invalid record is still refused for its content.
 */
import { Case, ORIGINS, PRIORITIES, RESOLUTION_TYPES, STATES, type OutboxEntry } from '../../schema';

/** lib/schema.ts's Id. */
const ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const PRIORITY_SET = new Set<string>(PRIORITIES);
const ORIGIN_SET = new Set<string>(ORIGINS);
const STATE_SET = new Set<string>(STATES);
const RESOLUTION_SET = new Set<string>(RESOLUTION_TYPES);
const isText = (value: unknown): value is string => typeof value === 'string';
/** White space the schema collapses (lib/schema.ts clean): at either end, doubled, or other than a space. */
const UNCLEAN = /^\s|\s$|[^\S ]| {2}/;
/** Text the schema's clean() leaves as it is. */
const isCleanText = (value: unknown): value is string => typeof value === 'string' && !UNCLEAN.test(value);

/** The mapping's fields have the types and values Sidecase writes (lib/schema.ts Case). */
function hasStoredShape(data: Record<string, unknown>): boolean {
  const { id, customerId, title, description, subject, product, owner, priority, origin, state, tags, resolution } = data;
  return (
    isText(id) &&
    ID.test(id) &&
    isText(customerId) &&
    ID.test(customerId) &&
    isCleanText(title) &&
    title.length > 0 &&
    isText(description) &&
    isCleanText(subject) &&
    isCleanText(product) &&
    isText(owner) &&
    isText(priority) &&
    PRIORITY_SET.has(priority) &&
    isText(origin) &&
    ORIGIN_SET.has(origin) &&
    isText(state) &&
    STATE_SET.has(state) &&
    Array.isArray(tags) &&
    tags.every((tag) => isCleanText(tag) && tag.length > 0) &&
    (resolution === undefined || isResolution(resolution))
  );
}

function isResolution(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { type, text, at, by } = value as Record<string, unknown>;
  return isText(type) && RESOLUTION_SET.has(type) && isText(text) && text.length > 0 && typeof at === 'number' && isText(by);
}

/** The entry's case, or undefined when it is no valid case. */
export function caseOfEntry(entry: OutboxEntry): Case | undefined {
  const data = entry.data;
  if (hasStoredShape(data)) return data as unknown as Case;
  const parsed = Case.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}
