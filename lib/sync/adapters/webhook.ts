/**
 * Webhook adapter: each outbox entry is POSTed as
 * `{ "id", "type", "occurredAt", "data" }`, signed with `Sidecase-Signature`.
 * `id` is the entry's idempotency key, also sent as `Idempotency-Key`: the
 * same change keeps the same id however often it is retried, so a receiver
 * deduplicates on it. Any 2xx is a confirmation (n8n, Power Automate and
 * Zapier answer 200 or 202 with bodies of their own, which are not read).
 */
import type { OutboxEntry } from '../../schema';
import { guardedRequest, type HttpIo } from '../http';
import { newId } from '../../ids';
import type { WebhookSettings } from '../settings';
import { signWebhook } from '../signature';
import { classify } from './classify';
import type { Adapter, AdapterFactory, Outcome } from './types';

export interface WebhookEvent {
  id: string;
  type: string;
  /** ISO 8601, UTC. */
  occurredAt: string;
  data: Record<string, unknown>;
}

/** JSON carries no bytes: an attachment event tells name, type and size; its bytes stay local. */
function eventData(entry: OutboxEntry): Record<string, unknown> {
  if (entry.entity !== 'attachment') return entry.data;
  const { blob: _blob, ...meta } = entry.data;
  return meta;
}

export function webhookEventOf(entry: OutboxEntry): WebhookEvent {
  return {
    id: entry.idempotencyKey,
    type: entry.type,
    occurredAt: new Date(entry.occurredAt).toISOString(),
    data: eventData(entry),
  };
}

export const createWebhookAdapter: AdapterFactory<WebhookSettings> = (settings, io: HttpIo): Adapter => {
  async function post(event: WebhookEvent): Promise<Outcome> {
    const body = JSON.stringify(event);
    const signature = await signWebhook(settings.secret, body, io.now() / 1000);
    const result = await guardedRequest(io, settings.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': event.id, 'Sidecase-Signature': signature },
      body,
    });
    const refused = classify(result, io.now());
    if (!refused) return { kind: 'ok', status: result.kind === 'response' ? result.status : 200 };
    if (refused.kind !== 'conflict') return refused;
    // A receiver has no versions: 409 is "the same id is being processed", 412 a refusal.
    return refused.status === 409
      ? { kind: 'retry', status: 409, error: 'sync.error.server' }
      : { kind: 'fatal', status: refused.status, error: 'sync.error.rejected', scope: 'record' };
  }

  return {
    deliver: (entry) => post(webhookEventOf(entry)),
    testConnection: () =>
      post({ id: `ping:${newId(io.now())}`, type: 'sidecase.ping', occurredAt: new Date(io.now()).toISOString(), data: {} }),
  };
};
