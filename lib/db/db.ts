/**
 * The one Dexie database of Sidecase, every schema version in order.
 *
 * Owns: table layout, indexes and data migrations. Must never: hold business
 * rules (they live in lib/cases, lib/customers) or be written to directly by
 * components — they call the repositories, which validate and write the record,
 * its timeline event and its outbox entry in one transaction.
 *
 * Only keys and indexed fields appear in the schema strings (Dexie's advice):
 * the rest of each record is stored as is.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { Attachment, Case, Customer, Delivery, Meta, Note, OutboxEntry, SyncRecord, TimelineEvent } from '../schema';

export const DB_NAME = 'sidecase';

/** Version 1: the first layout shipped. Kept verbatim: a migration starts from it. */
export const SCHEMA_V1 = {
  cases: 'id, &number, [state+updatedAt], customerId, parentId, owner, *tags',
  customers: 'id, *emails, *phones, *searchKeys',
  notes: 'id, caseId, createdAt',
  attachments: 'id, caseId, uploadedAt',
  timeline: 'id, caseId, customerId, [caseId+at]',
  outbox: 'id, [entity+entityId], nextAttemptAt',
  meta: 'key',
} as const;

/**
 * Version 2: tags are indexed lower-cased (`*tagKeys`), so filtering by a tag
 * finds "VIP" and "vip" alike; "My active cases" gets `[owner+state+updatedAt]`;
 * sync gets its per-record state and its delivery log.
 */
export const SCHEMA_V2 = {
  ...SCHEMA_V1,
  cases: 'id, &number, [state+updatedAt], [owner+state+updatedAt], customerId, parentId, *tagKeys',
  syncRecords: '[entity+entityId], status',
  deliveries: 'id, outboxId, at',
} as const;

export class SidecaseDb extends Dexie {
  cases!: EntityTable<Case, 'id'>;
  customers!: EntityTable<Customer, 'id'>;
  notes!: EntityTable<Note, 'id'>;
  attachments!: EntityTable<Attachment, 'id'>;
  timeline!: EntityTable<TimelineEvent, 'id'>;
  outbox!: EntityTable<OutboxEntry, 'id'>;
  meta!: EntityTable<Meta, 'key'>;
  /** Keyed by [entity+entityId]: Dexie's EntityTable takes one key name, so this is typed by hand. */
  syncRecords!: Dexie.Table<SyncRecord, [string, string]>;
  deliveries!: EntityTable<Delivery, 'id'>;

  constructor(name = DB_NAME) {
    super(name);
    this.version(1).stores(SCHEMA_V1);
    this.version(2)
      .stores(SCHEMA_V2)
      .upgrade((tx) =>
        tx
          .table('cases')
          .toCollection()
          .modify((record: { tags?: unknown; tagKeys?: string[] }) => {
            const tags = Array.isArray(record.tags) ? record.tags.filter((t): t is string => typeof t === 'string') : [];
            record.tagKeys = tags.map((tag) => tag.toLocaleLowerCase());
          }),
      );
  }
}

export const db = new SidecaseDb();
