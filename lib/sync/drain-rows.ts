/**
 * The sync rows (`syncRecords`) of one drain's records, read once: the pump
 * reads a record's row when its lane starts (for its If-Match), and the
 * committer, which needs the row again for what an answer lacks (a remote id,
 * a version) or for a failure, takes it from here instead of reading it a
 * second time; what the committer writes replaces it here.
 *
 * Exact, not a guess: a copy is used only while the sync rows' revision
 * (engine-state.ts) is the one read with it, in the committer's own
 * transaction. Every other writer of rows (the pull, the conflict choices, a
 * backend switch, the Dynamics 365 deletion marks) changes the revision in
 * its transaction, and then every copy is dropped and read again. The
 * engine's other write, the "syncing" mark of a slow lane, drops the copies
 * of its records for the rest of the drain. Never kept across drains: a
 * drain makes its own.
 */
import type { SyncRecord } from '../schema';

/** A row as stored, or undefined: the record has none. */
export type StoredRow = SyncRecord | undefined;

export class DrainRows {
  /** The revision the copies were read at (null: none read yet). */
  private revision: string | undefined | null = null;
  private readonly rows = new Map<string, StoredRow>();
  /** Records whose rows the engine wrote without keeping a copy (markSyncing): always read. */
  private readonly unkept = new Set<string>();

  /**
   * Rows read in one transaction with `revision`. A copy already here is kept:
   * at the same revision it is the newer one (the committer's write may have
   * landed after this read).
   */
  addRead(revision: string | undefined, read: Iterable<[string, StoredRow]>): void {
    if (revision !== this.revision) this.reset(revision);
    for (const [key, row] of read) if (!this.rows.has(key) && !this.unkept.has(key)) this.rows.set(key, row);
  }

  /** The committer read `revision` in its transaction: copies of another revision are dropped. */
  useRevision(revision: string | undefined): void {
    if (revision !== this.revision) this.reset(revision);
  }

  /** The row of `key` at the revision last given, if a copy is kept ({ row: undefined }: it has none). */
  get(key: string): { row: StoredRow } | undefined {
    return this.rows.has(key) ? { row: this.rows.get(key) } : undefined;
  }

  /** Rows the committer wrote, in a transaction that read `revision`; dropped if the revision has moved on since. */
  wrote(revision: string | undefined, written: Iterable<[string, SyncRecord]>): void {
    if (revision !== this.revision) return;
    for (const [key, row] of written) if (!this.unkept.has(key)) this.rows.set(key, row);
  }

  /** Rows written elsewhere in the engine: never taken from here again in this drain. */
  forget(keys: Iterable<string>): void {
    for (const key of keys) {
      this.unkept.add(key);
      this.rows.delete(key);
    }
  }

  private reset(revision: string | undefined): void {
    this.rows.clear();
    this.revision = revision;
  }
}
