/**
 * One guarded request to a backend. Every response is untrusted: the body is
 * read only when asked and never past `maxBodyBytes` (a 20 MB answer is
 * cancelled after the first megabyte, not buffered), redirects are refused
 * (`redirect: 'manual'`: a cross-origin hop would carry our auth header or
 * payload somewhere the agent never configured), and a timeout aborts both
 * the request and the body read. The cap counts decoded bytes: a Content-Length
 * is the compressed size. Whatever way it returns, the request is ended: a body
 * left unread would otherwise keep the connection open once the timer is gone.
 *
 * The timeout is for a backend that stopped answering, not for bytes on their
 * way. fetch() tells nothing of an upload's progress (no progress events, and a
 * streamed request body needs HTTP/2 in Chromium; XMLHttpRequest, which has
 * upload progress, does not exist in a service worker), so a request with a
 * large body gets the timeout plus the time its size takes at a slow link's
 * rate (MIN_UPLOAD_BYTES_PER_SECOND).
 */
import { readCapped } from '../net/read-capped';
import { parseRetryAfter } from './retry-after';

export const DEFAULT_TIMEOUT_MS = 15_000;
export const MAX_BODY_BYTES = 1024 * 1024;
/** The slowest uplink an upload is given time for: 32 KB/s, about a quarter of a megabit (a poor mobile link). */
export const MIN_UPLOAD_BYTES_PER_SECOND = 32 * 1024;

/** A body this small (a record's JSON) goes out within the timeout's own margin, even at the slowest uplink. */
export const UPLOAD_ALLOWANCE_FROM_BYTES = 64 * 1024;

/**
 * How long a request may take until its answer's headers: the timeout, plus
 * the time its body's bytes past the first 64 KB take at the slowest uplink.
 */
export function uploadDeadlineMs(timeoutMs: number, bodyBytes: number): number {
  const extra = Math.max(0, bodyBytes - UPLOAD_ALLOWANCE_FROM_BYTES);
  return timeoutMs + Math.ceil((extra / MIN_UPLOAD_BYTES_PER_SECOND) * 1000);
}

/** The bytes a request body sends, as far as they are known before sending. */
function bodyBytesOf(body: BodyInit | null | undefined): number {
  if (!body) return 0;
  if (typeof body === 'string') return body.length;
  if (body instanceof Blob) return body.size;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return body.byteLength;
  return 0;
}

/** An error body is read only up to this (readErrorBody): a reason, not a page. */
export const ERROR_BODY_BYTES = 64 * 1024;

export interface HttpIo {
  fetch: typeof globalThis.fetch;
  /** Milliseconds since the epoch (for Retry-After dates). */
  now: () => number;
  timeoutMs?: number;
  maxBodyBytes?: number;
}

export type HttpResult =
  | {
      kind: 'response';
      status: number;
      headers: Headers;
      /** Present only when asked for, the status was 2xx (or 4xx/5xx with readErrorBody) and it fit under the cap. */
      body?: Uint8Array;
      bodyTooLarge: boolean;
    }
  | { kind: 'redirect' }
  | { kind: 'network'; timedOut: boolean };

function isRedirect(response: Response, url: string): boolean {
  // Browsers answer a manual redirect with an opaque response of status 0; Node with the 3xx itself.
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) return true;
  // A fetch that followed anyway (a polyfill, a wrapper): refuse unless it stayed on our origin.
  if (response.redirected && response.url) {
    try {
      return new URL(response.url).origin !== new URL(url).origin;
    } catch {
      return true;
    }
  }
  return false;
}

/**
 * The deadlines of the requests out, watched by one timer for all of them,
 * set for the earliest: a timer set and cleared per request was a visible
 * share of a drain's CPU, and a request's deadline is seconds away while its
 * answer comes in milliseconds, so the timer rarely fires. When it does, it
 * aborts what is due and is set again for the next deadline.
 */
const deadlines = new Map<AbortController, number>();
let deadlineTimer: ReturnType<typeof setTimeout> | undefined;
let deadlineTimerAt = Infinity;

function setDeadlineTimer(at: number): void {
  clearTimeout(deadlineTimer);
  deadlineTimerAt = at;
  deadlineTimer = setTimeout(abortOverdue, Math.max(0, at - performance.now()));
}

function abortOverdue(): void {
  deadlineTimer = undefined;
  deadlineTimerAt = Infinity;
  const now = performance.now();
  let next = Infinity;
  for (const [controller, at] of deadlines) {
    if (at <= now) {
      deadlines.delete(controller);
      controller.abort(new Error('timeout'));
    } else next = Math.min(next, at);
  }
  if (next < Infinity) setDeadlineTimer(next);
}

/** Aborts `controller` at `at` (performance.now() time: a clock set back does not move it) unless unwatched before. */
function watchDeadline(controller: AbortController, at: number): void {
  deadlines.set(controller, at);
  if (at < deadlineTimerAt) setDeadlineTimer(at);
}

function unwatchDeadline(controller: AbortController): void {
  deadlines.delete(controller);
  // Nothing left to watch: no timer left behind (it would keep a Node process alive).
  if (deadlines.size === 0 && deadlineTimer !== undefined) {
    clearTimeout(deadlineTimer);
    deadlineTimer = undefined;
    deadlineTimerAt = Infinity;
  }
}

export async function guardedRequest(
  io: HttpIo,
  url: string,
  init: RequestInit,
  { readBody = false, readErrorBody = false }: { readBody?: boolean; readErrorBody?: boolean } = {},
): Promise<HttpResult> {
  const controller = new AbortController();
  const deadline = uploadDeadlineMs(io.timeoutMs ?? DEFAULT_TIMEOUT_MS, bodyBytesOf(init.body));
  watchDeadline(controller, performance.now() + deadline);
  /** The body was read to its end: the request is over, nothing to abort (an abort per request is CPU in a long drain). */
  let ended = false;
  try {
    const response = await io.fetch(url, {
      ...init,
      redirect: 'manual',
      credentials: 'omit',
      cache: 'no-store',
      signal: controller.signal,
    });
    if (isRedirect(response, url)) {
      await response.body?.cancel().catch(() => {});
      return { kind: 'redirect' };
    }
    const ok = response.status >= 200 && response.status < 300;
    let body: Uint8Array | undefined;
    let bodyTooLarge = false;
    if (ok && readBody) {
      body = await readCapped(response, io.maxBodyBytes ?? MAX_BODY_BYTES, controller.signal);
      bodyTooLarge = body === undefined;
      ended = !bodyTooLarge;
    } else if (!ok && readErrorBody && response.status >= 400) {
      // A backend whose error body names the reason (Dataverse's {"error":{"code","message"}}): a small read only.
      body = await readCapped(response, ERROR_BODY_BYTES, controller.signal);
      ended = body !== undefined;
    } else {
      // Error pages (an HTML 502 from a proxy) are never read: the status says enough.
      await response.body?.cancel().catch(() => {});
    }
    return { kind: 'response', status: response.status, headers: response.headers, body, bodyTooLarge };
  } catch {
    return { kind: 'network', timedOut: controller.signal.aborted };
  } finally {
    unwatchDeadline(controller);
    // Ends whatever is still open (a body cancelled or not read to its end).
    if (!ended) controller.abort(new Error('done'));
  }
}

/** One decoder for every answer (non-streaming decode keeps no state between calls). */
const utf8 = new TextDecoder();

/** The body as JSON when the server said it is JSON; undefined for HTML, text, empty or broken bodies. */
export function jsonBody(result: Extract<HttpResult, { kind: 'response' }>): unknown {
  const type = result.headers.get('content-type') ?? '';
  if (!result.body || result.body.byteLength === 0 || !/^application\/([\w.+-]*\+)?json\b/i.test(type.trim())) {
    return undefined;
  }
  try {
    return JSON.parse(utf8.decode(result.body));
  } catch {
    return undefined;
  }
}

export function isHtml(result: Extract<HttpResult, { kind: 'response' }>): boolean {
  return /^text\/html\b/i.test((result.headers.get('content-type') ?? '').trim());
}

export function retryAfterOf(result: Extract<HttpResult, { kind: 'response' }>, now: number): number | undefined {
  return parseRetryAfter(result.headers.get('retry-after'), now);
}
