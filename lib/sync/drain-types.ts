/**
 * The shapes the outbox engine's parts pass between them (engine.ts,
 * request-pump.ts, committer.ts): what a drain is given, what it returns, and
 * one request's outcome on its way to the committer.
 */
import type { SidecaseDb } from '../db/db';
import type { OutboxEntry } from '../schema';
import type { Outcome } from './adapters/types';
import type { BackendSettings } from './settings';

export interface SyncIo {
  db?: SidecaseDb;
  settings: BackendSettings;
  fetch?: typeof globalThis.fetch;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  /** Uniform in [0, 1), for backoff jitter. */
  random?: () => number;
  /** Per request, body read included. */
  timeoutMs?: number;
}

export interface DrainOptions extends SyncIo {
  maxConcurrent?: number;
  /** Outbox entries read per page (read ahead while requests fly); passes repeat until one sends nothing. */
  batchSize?: number;
  /** "Sync now": lift a 401/404 block and release parked entries first. */
  force?: boolean;
}

export interface DrainResult {
  sent: number;
  retried: number;
  failed: number;
  conflicts: number;
  /** The message key that stopped every delivery (wrong token, wrong URL…), if any. */
  blocked?: string;
}

/** The key of a record (entity and id) in the engine's maps and sets. */
export const recordKey = (entity: string, entityId: string) => `${entity}\u0000${entityId}`;

/** One request's outcome, not yet written: the Committer records it. */
export interface Delivered {
  entry: OutboxEntry;
  outcome: Outcome;
  /** Their version, fetched after a conflict (before any transaction). */
  theirs: { data?: Record<string, unknown>; etag?: string; version?: number };
  at: number;
}
