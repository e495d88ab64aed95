/**
 * The small shape every backend adapter has. An adapter turns one outbox
 * entry into one request and the response into an Outcome; it never touches
 * the database (the engine does, after the adapter returned).
 */
import { z } from 'zod';
import { ENTITIES, type OutboxEntry } from '../../schema';
import type { BackendSettings } from '../settings';
import type { HttpIo } from '../http';

/** Where a refusal applies: to this record only, or to every request (wrong token, wrong URL). */
export type FatalScope = 'record' | 'backend';

export type Outcome =
  | {
      kind: 'ok';
      status: number;
      etag?: string;
      version?: number;
      /** The backend's own id of the record (a Zendesk ticket id), kept in its syncRecords row and shown. */
      remoteId?: string;
      /**
       * An answer with no version, from a backend whose changes feed shows a record as it was
       * sent (REST): the fingerprint of what was sent (sync/fingerprint.ts), kept in the sync
       * row so that the pull knows the feed's copy of it for our own change.
       */
      echo?: string;
      /** "Test connection": who the backend says is signed in. */
      signedInAs?: string;
    }
  | { kind: 'retry'; status?: number; error: string; retryAfterMs?: number }
  | { kind: 'conflict'; status: number }
  | { kind: 'fatal'; status?: number; error: string; scope: FatalScope };

/** A record as the backend has it: the changes feed's item and the answer to GET. */
export const RemoteRecord = z.object({
  entity: z.enum(ENTITIES),
  id: z.string().min(1).max(100),
  version: z.number().int().nonnegative(),
  etag: z.string().max(200).optional(),
  data: z.record(z.string(), z.unknown()),
  /**
   * A backend that sends only some fields (Zendesk): the record to store is
   * this function of the local one, or nothing to apply when it returns
   * undefined (the change is already here). `data` is then unused.
   */
  merge: z.custom<(local: Record<string, unknown>) => Record<string, unknown> | undefined>((value) => typeof value === 'function').optional(),
});
export type RemoteRecord = z.infer<typeof RemoteRecord>;

export const ChangesPage = z.object({
  changes: z.array(RemoteRecord).max(10_000),
  cursor: z.string().max(1000),
  hasMore: z.boolean().optional(),
});
export type ChangesPage = z.infer<typeof ChangesPage>;

export interface DeliverContext {
  /** The ETag we last saw for this record (If-Match), if any. */
  etag?: string;
  /** The attachment's bytes, for attachment entries. */
  blob?: Blob;
}

export type PullResult = { ok: true; page: ChangesPage } | { ok: false; outcome: Exclude<Outcome, { kind: 'ok' }> };
export type FetchRecordResult =
  | { ok: true; record: RemoteRecord | undefined }
  | { ok: false; outcome: Exclude<Outcome, { kind: 'ok' }> };

export interface Adapter {
  deliver(entry: OutboxEntry, ctx: DeliverContext): Promise<Outcome>;
  /**
   * An adapter that sends the changes waiting at the same time in one request
   * (Dynamics 365's `$batch`), this many at most: the pump keeps
   * `maxConcurrent` × this many records' changes out at once, and the adapter
   * keeps its requests to `maxConcurrent`. Each change still gets its own
   * outcome; a record's next change still waits for the last one's.
   */
  changesPerRequest?: number;
  /**
   * The entries of a page the pump is about to send, in outbox order, before
   * the first of them is delivered: an adapter may start reading from storage
   * what their requests will need (Dynamics 365: the cases' customers), so
   * that the reads are not made one wave of requests at a time. Reads only;
   * nothing is sent, and `deliver` works without it.
   */
  prepare?(entries: readonly OutboxEntry[]): void;
  /** Their version of one record, for a conflict (REST only). */
  fetchRecord?(entity: OutboxEntry['entity'], id: string): Promise<FetchRecordResult>;
  /** One page of the changes feed after `cursor` (REST only). */
  pullChanges?(cursor: string | undefined): Promise<PullResult>;
  /** "Test connection" on the options page. */
  testConnection(): Promise<Outcome>;
}

export type AdapterFactory<S extends BackendSettings> = (settings: S, io: HttpIo) => Adapter;
