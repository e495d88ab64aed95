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
import Dexie, { type EntityTable, type Transaction } from 'dexie';
import type {
  Attachment,
  Case,
  Customer,
  Delivery,
  FollowUp,
  Meta,
  Note,
  OutboxEntry,
  SyncRecord,
  TimelineEvent,
} from '../schema';
import { mergeNoteWords, noteWords } from '../search/words';
import { deriveCaseFields, tagKeysOf } from '../cases/derive';
import { DEFAULT_SLA_TARGETS, slaDeadlines } from '../cases/sla';

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

/**
 * Version 3 (issue 5: case work). Cases get `*words` and `*noteWords` (search), the per-priority
 * and SLA sorts of the views, `mergedIntoId`; notes get `*words` and
 * `[caseId+createdAt]`; attachments are listed per case by upload time and
 * found by content hash; follow-ups get their table.
 */
export const SCHEMA_V3 = {
  ...SCHEMA_V2,
  cases:
    'id, &number, [state+updatedAt], [owner+state+updatedAt], customerId, parentId, *tagKeys, *words, *noteWords, mergedIntoId, ' +
    '[state+priority+updatedAt], [owner+state+priority+updatedAt], [state+slaDueAt], [owner+state+slaDueAt]',
  notes: 'id, caseId, createdAt, [caseId+createdAt], *words, inboxAt',
  attachments: 'id, caseId, uploadedAt, [caseId+uploadedAt], sha256',
  followUps: 'id, caseId, dueAt',
} as const;

/**
 * Version 4 (issue 13, "already a case"): cases get `sourceKey`, the key of
 * the page, mail thread or chat each was made from. No upgrade function:
 * rewriting 50,000 cases would hold the database closed for minutes. Cases
 * stored before it get their key from the background re-index
 * (lib/search/reindex.ts, words version 3), and the index holds each case
 * once it has one.
 */
export const SCHEMA_V4 = {
  ...SCHEMA_V3,
  cases: `${SCHEMA_V3.cases}, sourceKey`,
} as const;

/** The record shapes an older version may have left: only what the migration reads is assumed. */
type StoredCase = Partial<Case> & { id: string; number: string; title: string; priority: Case['priority'] };
type StoredCustomer = Pick<Customer, 'id' | 'name' | 'company' | 'emails' | 'phones'>;

/**
 * Customers read once into a map for a migration: their names, emails and
 * phones become words of their cases. 20,000 customers fit easily in memory.
 */
async function customersById(tx: Transaction): Promise<Map<string, StoredCustomer>> {
  const customers = new Map<string, StoredCustomer>();
  await tx
    .table('customers')
    .toCollection()
    .each((c: StoredCustomer) => customers.set(c.id, c));
  return customers;
}

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
  followUps!: EntityTable<FollowUp, 'id'>;

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
            record.tagKeys = tagKeysOf(tags);
          }),
      );
    this.version(3)
      .stores(SCHEMA_V3)
      .upgrade(async (tx) => {
        const customers = await customersById(tx);
        // Notes first: their words are gathered per case for the case's noteWords.
        const wordsByCase = new Map<string, string[][]>();
        await tx
          .table('notes')
          .toCollection()
          .modify((note: Partial<Note>) => {
            if (!note.caseId) note.inboxAt = note.createdAt ?? 0;
            note.words = noteWords({ body: typeof note.body === 'string' ? note.body : '', format: note.format === 'html' ? 'html' : 'text' });
            if (note.caseId) {
              const lists = wordsByCase.get(note.caseId);
              if (lists) lists.push(note.words);
              else wordsByCase.set(note.caseId, [note.words]);
            }
          });
        await tx
          .table('cases')
          .toCollection()
          .modify((record: StoredCase) => {
            const customer = record.customerId ? customers.get(record.customerId) : undefined;
            record.noteWords = mergeNoteWords(wordsByCase.get(record.id) ?? []);
            record.resolutions ??= [];
            // Stored cases get the default targets: the agent's own targets
            // are in extension storage, out of reach of a database upgrade.
            record.sla ??= slaDeadlines(record.priority, record.createdAt ?? 0, DEFAULT_SLA_TARGETS);
            // Words and SLA sort key: tag keys came with version 2, and the
            // label was never filled here (a case without one shows its
            // customer's, lib/customers/case-labels.ts, until its next change).
            const derived = deriveCaseFields({ number: record.number, title: record.title, tags: record.tags ?? [], sla: record.sla, source: record.source }, customer);
            record.words = derived.words;
            record.slaDueAt = derived.slaDueAt;
            record.sourceKey = derived.sourceKey;
          });
      });
    this.version(4).stores(SCHEMA_V4);
  }
}

export const db = new SidecaseDb();
