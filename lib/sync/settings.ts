/**
 * Backend settings: none (the default: Sidecase works fully offline), a REST
 * backend, or a webhook.
 *
 * Stored in the extension's IndexedDB (`meta` row 'backend'), not in
 * browser.storage: content scripts can read storage.local, and the token or
 * secret must stay out of any page's reach. Error messages are message keys
 * only: a credential never appears in an error, a log or a delivery row.
 */
import { z } from 'zod';
import { db as defaultDb, type SidecaseDb } from '../db/db';
import type { FieldErrors } from '../errors';
import { CURSOR_META_KEY, markSyncRowsChanged, unblockSync } from './engine-state';

export const BACKEND_KINDS = ['none', 'rest', 'webhook', 'dynamics365', 'zendesk'] as const;

/**
 * Headers a custom auth header may not replace: the browser drops some
 * silently (forbidden header names), the rest carry the protocol itself.
 */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'cookie',
  'origin',
  'referer',
  'connection',
  'idempotency-key',
  'if-match',
  'if-none-match',
  'sidecase-signature',
]);

/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Printable ASCII only: no CR/LF smuggling into the request. */
const HEADER_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** The hosts a backend may be reached on over plain http: this computer only. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1']);

export const BackendUrl = z
  .string()
  .trim()
  .min(1, 'sync.settings.url.required')
  .max(2048, 'sync.settings.url.invalid')
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'sync.settings.url.invalid' });
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', message: 'sync.settings.url.notHttp' });
    } else if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
      // Plain http would carry the token and customer data in clear over the
      // network; it is for a backend on this computer (development, tests) only.
      ctx.addIssue({ code: 'custom', message: 'sync.settings.url.httpNotLocal' });
    } else if (url.username || url.password) {
      // user:pass@ would travel in every request line and every log of it.
      ctx.addIssue({ code: 'custom', message: 'sync.settings.url.hasCredentials' });
    } else if (url.hash) {
      ctx.addIssue({ code: 'custom', message: 'sync.settings.url.invalid' });
    }
  })
  // One spelling: `https://crm.example/api` whether typed with a trailing slash or not.
  .transform((value) => value.replace(/\/+$/, ''));

const Token = z
  .string()
  .trim()
  .min(1, 'sync.settings.token.required')
  .max(4096, 'sync.settings.token.invalid')
  .regex(HEADER_VALUE, 'sync.settings.token.invalid');

export const RestAuth = z.discriminatedUnion('type', [
  z.object({ type: z.literal('bearer'), token: Token }),
  z.object({
    type: z.literal('header'),
    name: z
      .string()
      .trim()
      .min(1, 'sync.settings.headerName.required')
      .max(100, 'sync.settings.headerName.invalid')
      .regex(HEADER_NAME, 'sync.settings.headerName.invalid')
      .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), 'sync.settings.headerName.reserved'),
    key: Token,
  }),
]);

export const WEBHOOK_SECRET_MIN = 16;

/** Dynamics 365: the organisation, the app registration that signs the agent in, and its authority (docs/dynamics365.md). */
export const D365_DEFAULT_AUTHORITY = 'https://login.microsoftonline.com/organizations';
export const Dynamics365Settings = z.object({
  kind: z.literal('dynamics365'),
  /** The organisation URL, `https://contoso.crm4.dynamics.com`. */
  url: BackendUrl,
  /** The app registration's application (client) id. */
  clientId: z
    .string()
    .trim()
    .min(1, 'sync.settings.d365.clientId.required')
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'sync.settings.d365.clientId.invalid'),
  authority: BackendUrl.default(D365_DEFAULT_AUTHORITY),
  /** caseorigincode for the origins D365 has no fixed value for (chat, social, other): the organisation's own option values. */
  originCodes: z.partialRecord(z.enum(['chat', 'social', 'other']), z.number().int()).optional(),
});
// --- Zendesk (docs/zendesk.md) ---
/** The ticket types Zendesk knows; none leaves the ticket's type empty. */
export const ZENDESK_TICKET_TYPES = ['question', 'incident', 'problem', 'task'] as const;
/** A Zendesk account's API lives on its own subdomain (`https://acme.zendesk.com`), nothing after it. */
const ZENDESK_HOST = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.zendesk\.com$/;
export const ZendeskUrl = BackendUrl.refine((value) => {
  const url = new URL(value);
  const isLoopback = LOOPBACK_HOSTS.has(url.hostname);
  return (url.pathname === '/' || url.pathname === '') && !url.search && (isLoopback || ZENDESK_HOST.test(url.hostname));
}, 'sync.settings.zendesk.url.notZendesk');
export const ZendeskAuth = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('token'),
    email: z.string().trim().toLowerCase().max(254, 'sync.settings.zendesk.email.invalid').email('sync.settings.zendesk.email.invalid'),
    token: Token,
  }),
  /** "Sign in with Zendesk": the OAuth client's unique identifier; the tokens live apart (lib/sync/zendesk/sign-in.ts). */
  z.object({
    type: z.literal('oauth'),
    clientId: z
      .string()
      .trim()
      .min(1, 'sync.settings.zendesk.clientId.required')
      .max(200, 'sync.settings.zendesk.clientId.invalid')
      .regex(/^[\w.-]+$/, 'sync.settings.zendesk.clientId.invalid'),
  }),
]);
const ZendeskSettings = z.object({
  kind: z.literal('zendesk'),
  url: ZendeskUrl,
  auth: ZendeskAuth,
  ticketType: z.enum(ZENDESK_TICKET_TYPES).optional(),
});
// --- end Zendesk ---

export const BackendSettings = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('rest'), url: BackendUrl, auth: RestAuth }),
  z.object({
    kind: z.literal('webhook'),
    url: BackendUrl,
    secret: z
      .string()
      .trim()
      .min(WEBHOOK_SECRET_MIN, 'sync.settings.secret.tooShort')
      .max(1024, 'sync.settings.secret.invalid')
      .regex(HEADER_VALUE, 'sync.settings.secret.invalid'),
  }),
  Dynamics365Settings,
  ZendeskSettings,
]);
export type BackendSettings = z.infer<typeof BackendSettings>;
export type RestSettings = Extract<BackendSettings, { kind: 'rest' }>;
export type WebhookSettings = Extract<BackendSettings, { kind: 'webhook' }>;
export type Dynamics365Settings = Extract<BackendSettings, { kind: 'dynamics365' }>;
export type ZendeskSettings = Extract<BackendSettings, { kind: 'zendesk' }>;

export const DEFAULT_BACKEND: BackendSettings = { kind: 'none' };
export const BACKEND_META_KEY = 'backend';

/** The options form's control names (`name` attributes), per zod path. */
function fieldNameOf(kind: unknown, path: readonly PropertyKey[]): string {
  const [first, second] = path.map(String);
  if (first === 'kind') return 'backend.kind';
  if (kind === 'webhook') return first === 'secret' ? 'webhook.secret' : 'webhook.url';
  if (kind === 'dynamics365') return first === 'clientId' ? 'd365.clientId' : first === 'authority' ? 'd365.authority' : 'd365.url';
  if (kind === 'zendesk') {
    if (first === 'auth') return second === 'email' ? 'zendesk.email' : second === 'clientId' ? 'zendesk.clientId' : second === 'type' ? 'zendesk.auth' : 'zendesk.token';
    return first === 'ticketType' ? 'zendesk.ticketType' : 'zendesk.url';
  }
  if (first === 'auth' && second === 'name') return 'backend.headerName';
  if (first === 'auth') return 'backend.token';
  return 'backend.url';
}

export type BackendValidation =
  | { ok: true; settings: BackendSettings }
  | { ok: false; fields: FieldErrors };

/** Validate what the options form holds; errors keyed by the controls' `name`. */
export function validateBackendSettings(raw: unknown): BackendValidation {
  const parsed = BackendSettings.safeParse(raw);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const fields: FieldErrors = {};
  const kind = (raw as { kind?: unknown } | null)?.kind;
  for (const issue of parsed.error.issues) {
    const key = issue.message.startsWith('sync.') ? issue.message : 'sync.settings.invalid';
    fields[fieldNameOf(kind, issue.path)] ??= key;
  }
  return { ok: false, fields };
}

export async function loadBackendSettings(db: SidecaseDb = defaultDb): Promise<BackendSettings> {
  const row = await db.meta.get(BACKEND_META_KEY);
  const parsed = BackendSettings.safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_BACKEND;
}

/**
 * Validates, then stores. Saving also lifts a "sync refused" block (401, 404…)
 * and releases parked entries: the agent has just fixed the token or the URL.
 * The options page requests the host permission only AFTER this resolved, so a
 * declined prompt never loses the settings.
 */
export async function saveBackendSettings(
  raw: unknown,
  { db = defaultDb, now = Date.now() }: { db?: SidecaseDb; now?: number } = {},
): Promise<BackendValidation> {
  const result = validateBackendSettings(raw);
  if (!result.ok) return result;
  await db.transaction('rw', [db.meta, db.outbox, db.syncRecords], async () => {
    const before = await db.meta.get(SYNCED_WITH_META_KEY);
    const syncedWith = typeof before?.value === 'string' ? before.value : backendIdentity(await loadBackendSettings(db));
    const next = backendIdentity(result.settings);
    if (next !== undefined && next !== syncedWith) {
      await forgetSyncState(db);
      await db.meta.put({ key: SYNCED_WITH_META_KEY, value: next });
    }
    await db.meta.put({ key: BACKEND_META_KEY, value: result.settings });
    await unblockSync(db, now);
  });
  return result;
}

/** The backend the stored sync state (cursor, ETags, versions) belongs to. */
const SYNCED_WITH_META_KEY = 'syncedWith';

/** Which backend a sync state belongs to: its kind and URL; none has no state. */
export function backendIdentity(settings: BackendSettings): string | undefined {
  return settings.kind === 'none' ? undefined : `${settings.kind} ${settings.url}`;
}

/**
 * Saving these settings moves to another backend than the one the sync state
 * was kept for (the options page says so before Save). A token change is not
 * a switch; turning sync off and on again to the same backend is not either.
 */
export function isBackendSwitch(stored: BackendSettings, next: BackendSettings): boolean {
  const from = backendIdentity(stored);
  const to = backendIdentity(next);
  return from !== undefined && to !== undefined && from !== to;
}

/**
 * Another backend's cursor, ETags and versions mean nothing to this one: its
 * ETag sent as If-Match is a false conflict (412), its cursor skips changes,
 * and its versions make this backend's changes look old. Cleared, in the
 * settings' transaction. Conflicts and refusals stay for the agent to see.
 */
async function forgetSyncState(db: SidecaseDb): Promise<void> {
  await db.meta.delete(CURSOR_META_KEY);
  await markSyncRowsChanged(db);
  await db.syncRecords
    .filter((record) => record.etag !== undefined || record.remoteVersion !== undefined || record.remoteId !== undefined)
    .modify((record) => {
      delete record.etag;
      delete record.remoteVersion;
      delete record.remoteId;
    });
}

/**
 * The optional host permission for exactly the backend's origin. Match
 * patterns carry no port (Firefox refuses one; Chrome matches every port).
 */
export function originPattern(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.hostname}/*`;
}

/** A fresh webhook secret for the options page's "Generate" button: 32 random bytes, hex. */
export function generateWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
