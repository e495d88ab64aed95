/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date. A hostile or
 * confused server must not park the queue for a week: the wait is clamped.
 */
export const RETRY_AFTER_MAX_MS = 60 * 60_000;

/** Milliseconds to wait, or undefined when the header is absent or unreadable. */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number,
  maxMs: number = RETRY_AFTER_MAX_MS,
): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, maxMs);
  // An HTTP date names a weekday and a month; refuse bare numbers like "-5" or "1.5".
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(at - now, 0), maxMs);
}
