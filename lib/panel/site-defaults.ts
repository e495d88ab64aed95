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
import { ORIGINS, PRIORITIES } from '../constants';
import type { Draft } from '../drafts';

/** Enough for every site an agent works from; the least recently used go first. */
export const SITE_DEFAULTS_MAX = 200;

/** The provenance id of a remembered value (the form says "remembered for <site>"). */
export const REMEMBERED = 'site';

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
 * blank (and not filled by a capture, which records a provenance): each value
 * set is marked as remembered. Returns the draft unchanged when nothing fits.
 */
export function applySiteDefaults(draft: Draft, entry: SiteEntry | undefined): { draft: Draft; applied: Array<keyof RememberedValues> } {
  if (!entry) return { draft, applied: [] };
  const provenance = { ...draft.provenance };
  const next: Draft = { ...draft };
  const applied: Array<keyof RememberedValues> = [];
  const untouched = (path: keyof RememberedValues) => next[path] === BLANK[path] && !provenance[path];
  if (entry.origin && untouched('origin')) {
    next.origin = entry.origin;
    applied.push('origin');
  }
  if (entry.product && untouched('product')) {
    next.product = entry.product;
    applied.push('product');
  }
  if (entry.priority && untouched('priority')) {
    next.priority = entry.priority;
    applied.push('priority');
  }
  if (applied.length === 0) return { draft, applied };
  for (const path of applied) provenance[path] = { from: REMEMBERED, value: next[path] };
  return { draft: { ...next, provenance }, applied };
}

export async function loadSiteDefaults(): Promise<SiteDefaults> {
  return parseSiteDefaults(await item.getValue());
}

export async function saveSiteDefaults(site: string, values: RememberedValues, now = Date.now()): Promise<void> {
  await item.setValue(rememberSite(await loadSiteDefaults(), site, values, now));
}
