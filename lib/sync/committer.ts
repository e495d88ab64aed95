/**
 * The committer: writes the outcomes of a drain's requests in batches, each
 * entry deleted only in the transaction that records its confirmation. This
 * file decides when; commit-write.ts is one write.
 */
import type { SidecaseDb } from '../db/db';
import type { OutboxEntry } from '../schema';
import { COMMIT_AFTER_MS, COMMIT_BATCH } from './commit-policy';
import { writeOutcomes } from './commit-write';
import type { ConfirmationLog } from './delivery-log';
import type { DrainRows } from './drain-rows';
import { recordKey, type Delivered } from './drain-types';

const noop = () => {};

/**
 * Once the pump has no lane left to start (finishing()), a write starts as soon
 * as this many outcomes wait and no write is under way. Fewer wait for the timer
 * as before: a write of a few outcomes costs nearly what one of many does (the
 * transaction, the reads of outbox keys).
 */
const FINISHING_BATCH = 32;

/**
 * Records outcomes in batches: one transaction per batch instead of one per
 * entry (per-entry transactions made the engine several times slower than a
 * plain fetch loop; the README's Speed section has the figures). Exactly once still holds: an entry is deleted only in the
 * transaction that records its confirmation; a worker killed before the flush
 * sends the confirmed entries again with the same Idempotency-Key, and the
 * backend answers what it answered the first time.
 *
 * The lane's next entry does not wait for the flush: its order at the backend
 * is kept by the lane itself, and its If-Match comes from the confirmation in
 * memory.
 */
export class Committer {
  private batch: Array<{ delivered: Delivered; lane: string }> = [];
  /** Outcomes in `batch` per lane. */
  private readonly inBatch = new Map<string, number>();
  /** Outcomes in `batch` whose lane is still running: held back (see add). */
  private held = 0;
  private writing: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Writes asked for and not yet ended. */
  private writes = 0;
  /** See finishing(). */
  private isFinishing = false;
  private readonly activeLanes = new Set<string>();
  /**
   * The record of each outbox entry this drain has read (outbox id → recordKey), for
   * recordsLeft. An entry's record never changes: entries are added, updated (attempts,
   * data) and deleted, never moved to another record.
   */
  private readonly recordOf = new Map<string, string>();
  /** The pump has read the outbox to its end once in this drain: an entry it does not know was written since. */
  private hasReadAll = false;

  constructor(
    private readonly db: SidecaseDb,
    private readonly clock: { now: () => number; random: () => number },
    readonly confirmations: ConfirmationLog,
    /** The rows this drain read and wrote (drain-rows.ts): a row kept there is not read again. */
    private readonly rows: DrainRows,
  ) {}

  /** An outbox entry the pump read: its record is known without reading it again. */
  seen(entry: Pick<OutboxEntry, 'id' | 'entity' | 'entityId'>): void {
    this.recordOf.set(entry.id, recordKey(entry.entity, entry.entityId));
  }

  /** The pump read the outbox's last page. */
  readAll(): void {
    this.hasReadAll = true;
  }

  /** A lane of this record is queued or running: a record with entries left stays "syncing". */
  laneStart(lane: string): void {
    if (this.activeLanes.has(lane)) return;
    this.activeLanes.add(lane);
    this.held += this.inBatch.get(lane) ?? 0;
  }

  /**
   * The pump has no lane left to start, only lanes still running, and its adapter puts many
   * changes in one request (request-pump.ts; for the rest of the drain):
   * outcomes are written as soon as FINISHING_BATCH of them wait and no write is under way,
   * each write taking what came during the one before, instead of COMMIT_AFTER_MS after the
   * first. The drain's last write then holds only the last answers: it is what stands between
   * the last answer and an empty outbox, and one holding up to COMMIT_AFTER_MS of outcomes (a
   * Dynamics 365 drain: hundreds, a $batch answering 50 at once) made that wait as long as a
   * round of requests.
   */
  finishing(): void {
    if (this.isFinishing) return;
    this.isFinishing = true;
    this.writeIfFinishing();
  }

  /**
   * An outcome of a lane still running is held back until the lane ends (or the pass's last
   * flush): a record's changes are then recorded in one write, one sync row put and its
   * entries, side by side in the outbox, deleted as one range with its neighbours'. Written as
   * they came, the head of each lane out (a case's creation, its update still in flight) was
   * a delete of its own and its row was put twice (the README's Speed section has the counts).
   * Exactly once holds as before: a held confirmation is sent again after a killed worker, with
   * the same key, as an unflushed one always was.
   */
  add(delivered: Delivered, lane: string): void {
    this.batch.push({ delivered, lane });
    this.inBatch.set(lane, (this.inBatch.get(lane) ?? 0) + 1);
    if (this.activeLanes.has(lane)) this.held += 1;
    this.writeIfDue();
  }

  /** Outcomes that may be written now. */
  private get ready(): number {
    return this.batch.length - this.held;
  }

  /** A batch's worth ready: written now; else, finishing, a smaller one (writeIfFinishing); else within COMMIT_AFTER_MS. */
  private writeIfDue(): void {
    if (this.ready >= COMMIT_BATCH) void this.writeReady().catch(noop);
    else if (!this.writeIfFinishing()) this.timer ??= setTimeout(() => void this.writeReady().catch(noop), COMMIT_AFTER_MS);
  }

  /** Finishing, FINISHING_BATCH outcomes ready and no write under way: writes them now. */
  private writeIfFinishing(): boolean {
    if (!this.isFinishing || this.writes > 0 || this.ready < FINISHING_BATCH) return false;
    void this.writeReady().catch(noop);
    return true;
  }

  laneDone(lane: string): void {
    if (!this.activeLanes.delete(lane)) return;
    const released = this.inBatch.get(lane) ?? 0;
    this.held -= released;
    if (released > 0) this.writeIfDue();
  }

  /** Writes every outcome added so far, held or not; resolves after every earlier write too. Rejects when a write failed. */
  flush(): Promise<void> {
    return this.queueWrite(true);
  }

  /** Writes the outcomes not held back. */
  private writeReady(): Promise<void> {
    return this.queueWrite(false);
  }

  private queueWrite(all: boolean): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = all ? this.batch : this.batch.filter(({ lane }) => !this.activeLanes.has(lane));
    this.batch = all ? [] : this.batch.filter(({ lane }) => this.activeLanes.has(lane));
    if (all) {
      this.inBatch.clear();
      this.held = 0;
    } else {
      for (const { lane } of batch) {
        const left = this.inBatch.get(lane)! - 1;
        if (left > 0) this.inBatch.set(lane, left);
        else this.inBatch.delete(lane);
      }
    }
    const previous = this.writing;
    this.writing = previous.then(() => (batch.length ? this.write(batch) : undefined));
    if (batch.length) {
      this.writes += 1;
      const written = () => {
        this.writes -= 1;
        // Finishing: what came during this write goes now.
        this.writeIfFinishing();
      };
      this.writing.then(written, written);
    }
    return this.writing;
  }

  private write(batch: Array<{ delivered: Delivered; lane: string }>): Promise<void> {
    // hasReadAll as it is when the write asks (the pump may read its last page meanwhile).
    const committer = this;
    const read = {
      recordOf: this.recordOf,
      get hasReadAll() {
        return committer.hasReadAll;
      },
      seen: (entry: Pick<OutboxEntry, 'id' | 'entity' | 'entityId'>) => this.seen(entry),
    };
    return writeOutcomes(this.db, batch, { clock: this.clock, rows: this.rows, confirmations: this.confirmations, activeLanes: this.activeLanes, read });
  }
}
