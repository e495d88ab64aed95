/**
 * Remembered defaults, per site: the origin, product and priority last saved
 * on a site (the open tab's hostname) are offered on the next new case there,
 * as the desks' "last used" values do (mail.google.com → email). They are an
 * offer, never a decision: a field the agent set, a capture filled or the
 * agent changed keeps its value (see applySiteDefaults).
 *
 * Stored in storage.local, checked with zod when read (a boundary), capped:
 * the least recently used sites go first.
 */
import * as z from 'zod/mini';
import { storage } from 'wxt/utils/storage';
import { ORIGINS, PRIORITIES, REMEMBERED } from '../constants';
import type { Draft } from '../drafts';

/** Enough for every site an agent works from; the least recently used go first. */
export const SITE_DEFAULTS_MAX = 200;

// The provenance id of a remembered value lives in lib/constants.ts: the form's
// first paint names it without loading this module (schema and storage).
export { REMEMBERED } from '../constants';

/** The form's own starting values: not a choice anyone made. */
const BLANK = { origin: 'email', priority: 'normal', product: '' } as const;

const SiteEntry = z.object({
  origin: z.optional(z.enum(ORIGINS)),
  product: z.optional(z.string().check(z.maxLength(200))),
  priority: z.optional(z.enum(PRIORITIES)),
  usedAt: z.number(),
});
export type SiteEntry = z.infer<typeof SiteEntry>;
export type SiteDefaults = Record<string, SiteEntry>;
export type RememberedValues = Pick<Draft, 'origin' | 'product' | 'priority'>;

const Stored = z.record(z.string().check(z.maxLength(253)), SiteEntry);
const item = storage.defineItem<unknown>('local:site-defaults', { fallback: {} });

/** `mail.google.com` for a web page's URL; undefined for anything else (extension pages, files, garbage). */
export function siteOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** What storage holds, checked: entries that do not parse are dropped, the rest kept. */
export function parseSiteDefaults(stored: unknown): SiteDefaults {
  const whole = Stored.safeParse(stored);
  if (whole.success) return whole.data;
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return {};
  const kept: SiteDefaults = {};
  for (const [site, entry] of Object.entries(stored)) {
    const parsed = SiteEntry.safeParse(entry);
    if (parsed.success && site.length <= 253) kept[site] = parsed.data;
  }
  return kept;
}

/**
 * The map after a case was saved on `site` with these values: that site
 * becomes the most recent, and past the cap the least recently used go.
 * Values equal to the form's blanks are not remembered (nothing was chosen).
 */
export function rememberSite(map: SiteDefaults, site: string, values: RememberedValues, now: number): SiteDefaults {
  const entry: SiteEntry = { usedAt: now };
  if (values.origin !== BLANK.origin) entry.origin = values.origin;
  if (values.product.trim()) entry.product = values.product.trim().slice(0, 200);
  if (values.priority !== BLANK.priority) entry.priority = values.priority;
  const others = Object.entries(map).filter(([key]) => key !== site);
  const kept = others.sort(([, a], [, b]) => b.usedAt - a.usedAt).slice(0, SITE_DEFAULTS_MAX - 1);
  return Object.fromEntries([[site, entry], ...kept]);
}

/**
 * The draft with the site's remembered values in the fields still at their
 * blank (and not filled by a capture, which records a provenance) or holding
 * another site's remembered value (the agent moved to another tab): each value
 * set is marked as remembered, and a remembered value the new site has no
 * value for goes back to the blank. Returns the draft itself when nothing
 * changes.
 */
export function applySiteDefaults(draft: Draft, entry: SiteEntry | undefined): { draft: Draft; applied: Array<keyof RememberedValues> } {
  const provenance = { ...draft.provenance };
  const next: Draft = { ...draft };
  const values: RememberedValues = next;
  const applied: Array<keyof RememberedValues> = [];
  const set = <K extends keyof RememberedValues>(path: K, value: RememberedValues[K] | undefined) => {
    const mark = provenance[path];
    const isRemembered = mark?.from === REMEMBERED && mark.value === next[path];
    const isBlank = next[path] === BLANK[path] && !mark;
    if (!isRemembered && !isBlank) return;
    const wanted = (value ?? BLANK[path]) as RememberedValues[K];
    if (wanted === next[path] && (value === undefined || isRemembered)) return;
    values[path] = wanted;
    if (value === undefined) delete provenance[path];
    else provenance[path] = { from: REMEMBERED, value: String(value) };
    applied.push(path);
  };
  set('origin', entry?.origin);
  set('product', entry?.product);
  set('priority', entry?.priority);
  if (applied.length === 0) return { draft, applied };
  return { draft: { ...next, provenance }, applied };
}

export async function loadSiteDefaults(): Promise<SiteDefaults> {
  return parseSiteDefaults(await item.getValue());
}

export async function saveSiteDefaults(site: string, values: RememberedValues, now = Date.now()): Promise<void> {
  await item.setValue(rememberSite(await loadSiteDefaults(), site, values, now));
}
