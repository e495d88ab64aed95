/**
 * HTTP result → Outcome, the same for every adapter, with the message key the
 * agent sees: what happened and what to do about it.
 */
import { retryAfterOf, type HttpResult } from '../http';
import type { Outcome } from './types';

export function classify(result: HttpResult, now: number): Exclude<Outcome, { kind: 'ok' }> | undefined {
  if (result.kind === 'redirect') return { kind: 'fatal', error: 'sync.error.redirect', scope: 'backend' };
  if (result.kind === 'network') return { kind: 'retry', error: result.timedOut ? 'sync.error.timeout' : 'sync.error.network' };
  const { status } = result;
  if (status >= 200 && status < 300) return undefined;
  if (status === 401) return { kind: 'fatal', status, error: 'sync.error.unauthorized', scope: 'backend' };
  if (status === 403) return { kind: 'fatal', status, error: 'sync.error.forbidden', scope: 'backend' };
  if (status === 404 || status === 405 || status === 410) {
    return { kind: 'fatal', status, error: 'sync.error.notFound', scope: 'backend' };
  }
  if (status === 409 || status === 412) return { kind: 'conflict', status };
  if (status === 408) return { kind: 'retry', status, error: 'sync.error.timeout' };
  if (status === 429) return { kind: 'retry', status, error: 'sync.error.rateLimited', retryAfterMs: retryAfterOf(result, now) };
  if (status >= 500) return { kind: 'retry', status, error: 'sync.error.server', retryAfterMs: retryAfterOf(result, now) };
  // 400, 413, 415, 422 …: the backend refuses this change as it is; retrying it unchanged would not help.
  return { kind: 'fatal', status, error: 'sync.error.rejected', scope: 'record' };
}
