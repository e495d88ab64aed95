/**
 * Attachments: add a batch of files to a case, delete direct uploads, list,
 * search, sort and filter. See README.md for what this folder must never do.
 */
import Dexie from 'dexie';
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { appendOutbox, appendTimeline } from '../db/changes';
import { SidecaseError, isQuotaError } from '../errors';
import { newId } from '../ids';
import { ATTACHMENT_SOURCES, Attachment } from '../schema';
import { requireActiveCase } from '../cases/write';
import { foldText } from '../search/text';
import { capLength, stripUnsafe } from '../capture/clean';
import { DEFAULT_MAX_ATTACHMENT_MB } from '../cases/case-settings';
import { markSyncRowsChanged } from '../sync/engine-state';

export type AttachmentSource = (typeof ATTACHMENT_SOURCES)[number];
/** The per-file limit's default (setting `maxAttachmentMb`, lib/cases/case-settings.ts): 25 MB. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = DEFAULT_MAX_ATTACHMENT_MB * 1024 * 1024;

/** A file as the picker, drop or paste gives it; a Blob with a name is enough. */
export type IncomingFile = Blob & { name: string; lastModified?: number };

export interface AddAttachmentsOptions {
  source?: AttachmentSource;
  uploadedBy: string;
  /** Per-file limit in bytes (setting); default 25 MB. */
  maxBytes?: number;
  sourceUrl?: string;
  now?: number;
  db?: SidecaseDb;
}

/** One file over the limit: the message names it (`attachment.tooLarge`, $1 = name, $2 = limit in MB). */
export class AttachmentTooLargeError extends SidecaseError {
  constructor(
    readonly fileName: string,
    readonly maxBytes: number,
  ) {
    super('attachment.tooLarge', 'files');
    this.name = 'AttachmentTooLargeError';
  }
}

export { isQuotaError };

export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Metadata of an attachment: what outbox entries and timeline events carry (never the Blob). */
export function attachmentMeta(a: Attachment): Omit<Attachment, 'blob'> {
  const { blob: _blob, ...meta } = a;
  return meta;
}

/**
 * A file's name as shown and stored: without control, zero-width or bidi
 * override characters, as captured text is cleaned ("invoice\u202Efdp.exe"
 * would show as "invoiceexe.pdf").
 */
const cleanName = (name: string) => capLength(stripUnsafe(name).replace(/\s+/g, ' ').trim(), 255) || 'file';

/**
 * Add files to an active case, all in one transaction: a file over the limit
 * refuses the whole batch before anything is written (AttachmentTooLargeError),
 * and a full disk leaves nothing behind (`attachment.storageFull`).
 */
export async function addAttachments(
  caseId: string,
  files: readonly IncomingFile[],
  options: AddAttachmentsOptions,
): Promise<Attachment[]> {
  const db = options.db ?? defaultDb;
  const now = options.now ?? Date.now();
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  const source = options.source ?? 'upload';
  if (files.length === 0) return [];
  const tooLarge = files.find((file) => file.size > maxBytes);
  if (tooLarge) throw new AttachmentTooLargeError(cleanName(tooLarge.name), maxBytes);

  // Hash first: crypto.subtle is not IndexedDB, awaiting it would end the transaction.
  const hashes = await Promise.all(files.map(sha256Hex));
  const records = files.map((file, i) =>
    Attachment.parse({
      id: newId(now),
      caseId,
      blob: file,
      name: cleanName(file.name),
      type: (file.type || 'application/octet-stream').slice(0, 255),
      size: file.size,
      sha256: hashes[i],
      source,
      sourceUrl: options.sourceUrl,
      uploadedBy: options.uploadedBy,
      uploadedAt: now,
    } satisfies Attachment),
  );

  try {
    return await db.transaction('rw', [db.cases, db.attachments, db.timeline, db.outbox], async () => {
      const record = await requireActiveCase(db, caseId);
      await db.attachments.bulkAdd(records);
      await appendTimeline(db, {
        caseId,
        customerId: record.customerId,
        kind: 'attachment',
        actor: options.uploadedBy,
        at: now,
        data: { action: 'added', source, ids: records.map((r) => r.id), names: records.map((r) => r.name) },
      });
      for (const r of records) {
        await appendOutbox(db, { entity: 'attachment', entityId: r.id, type: 'attachment.added', at: now, data: attachmentMeta(r) });
      }
      return records;
    });
  } catch (error) {
    if (isQuotaError(error)) throw new SidecaseError('attachment.storageFull', 'files');
    // Dexie wraps errors thrown inside bulkAdd in a BulkError; the quota check above looked inside it.
    const failures = (error as { failures?: unknown[] }).failures;
    if (Array.isArray(failures) && failures.some(isQuotaError)) throw new SidecaseError('attachment.storageFull', 'files');
    throw error;
  }
}

/** Why an attachment cannot be deleted, or undefined when it can: only direct uploads can. */
export function deleteRefusalOf(attachment: Pick<Attachment, 'source'>): string | undefined {
  switch (attachment.source) {
    case 'upload':
      return undefined;
    case 'note':
      return 'attachment.delete.fromNote';
    case 'clipboard':
      return 'attachment.delete.fromClipboard';
    case 'page':
      return 'attachment.delete.fromPage';
    case 'screenshot':
      return 'attachment.delete.fromScreenshot';
  }
}

export function isDeletable(attachment: Pick<Attachment, 'source'>): boolean {
  return deleteRefusalOf(attachment) === undefined;
}

/** The batch held an attachment that may not be deleted: nothing was deleted. */
export class AttachmentDeleteRefusedError extends SidecaseError {
  constructor(readonly refused: Array<{ id: string; name: string; key: string }>) {
    super(refused[0]?.key ?? 'attachment.delete.refused', 'attachments');
    this.name = 'AttachmentDeleteRefusedError';
  }
}

/**
 * Delete several attachments at once. All or nothing: one that is not a direct
 * upload refuses the batch with its reason; one on a read-only case refuses it
 * with `case.readOnly`.
 */
export async function deleteAttachments(ids: readonly string[], ctx: { actor: string; now?: number; db?: SidecaseDb }): Promise<void> {
  const db = ctx.db ?? defaultDb;
  const now = ctx.now ?? Date.now();
  await db.transaction('rw', [db.cases, db.attachments, db.timeline, db.outbox, db.syncRecords, db.meta], async () => {
    const found = await db.attachments.bulkGet([...ids]);
    const present = found.filter((a): a is Attachment => a !== undefined);
    if (present.length !== ids.length) throw new SidecaseError('attachment.notFound');
    const refused = present.flatMap((a) => {
      const key = deleteRefusalOf(a);
      return key ? [{ id: a.id, name: a.name, key }] : [];
    });
    if (refused.length > 0) throw new AttachmentDeleteRefusedError(refused);
    const byCase = new Map<string, Attachment[]>();
    for (const a of present) byCase.set(a.caseId ?? '', [...(byCase.get(a.caseId ?? '') ?? []), a]);
    for (const caseId of byCase.keys()) if (caseId) await requireActiveCase(db, caseId);
    await db.attachments.bulkDelete([...ids]);
    for (const [caseId, list] of byCase) {
      await appendTimeline(db, {
        caseId: caseId || undefined,
        kind: 'attachment',
        actor: ctx.actor,
        at: now,
        data: { action: 'deleted', ids: list.map((a) => a.id), names: list.map((a) => a.name) },
      });
    }
    for (const a of present) {
      if (await dropUndeliveredUpload(db, a.id)) continue;
      await appendOutbox(db, { entity: 'attachment', entityId: a.id, type: 'attachment.deleted', at: now, data: { id: a.id, caseId: a.caseId } });
    }
  });
}

/**
 * A file deleted before its upload was confirmed: the upload can never be
 * sent (its bytes are gone), and waiting in the outbox it would park the
 * record and hold back the delete behind it for good. It is dropped. When it
 * was never sent, the backend never saw the file: nothing else is queued
 * (true returned). When it was sent and its answer never came, the backend
 * may hold it: the delete is queued as usual (a backend that never stored it
 * answers 404 or 410, both taken as done).
 */
async function dropUndeliveredUpload(db: SidecaseDb, id: string): Promise<boolean> {
  const pending = await db.outbox.where('[entity+entityId]').equals(['attachment', id]).toArray();
  const upload = pending.find((entry) => entry.type === 'attachment.added');
  if (!upload) return false;
  await db.outbox.delete(upload.id);
  if (upload.attempts > 0) return false;
  await db.outbox.bulkDelete(pending.map((entry) => entry.id));
  await db.syncRecords.delete(['attachment', id]);
  await markSyncRowsChanged(db);
  return true;
}

// ---------------------------------------------------------------- listing

export const ATTACHMENT_SORTS = ['name', 'size', 'uploadedAt', 'uploadedBy', 'source'] as const;
export type AttachmentSort = (typeof ATTACHMENT_SORTS)[number];

export interface AttachmentView {
  /** Part of the file name, accents and case ignored. */
  query?: string;
  sort?: AttachmentSort;
  direction?: 'asc' | 'desc';
  /** Sizes in bytes and upload times in ms, inclusive. */
  filters?: { source?: AttachmentSource; uploadedBy?: string; type?: string; from?: number; to?: number; minSize?: number; maxSize?: number };
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Search, filter and sort a list of attachments (pure: the grid and the tiles share it). */
export function arrangeAttachments<T extends Omit<Attachment, 'blob'>>(list: readonly T[], arrangement: AttachmentView = {}): T[] {
  const query = arrangement.query ? foldText(arrangement.query) : '';
  const f = arrangement.filters ?? {};
  const kept = list.filter(
    (a) =>
      (!query || foldText(a.name).includes(query)) &&
      (!f.source || a.source === f.source) &&
      (!f.uploadedBy || a.uploadedBy === f.uploadedBy) &&
      (!f.type || a.type.startsWith(f.type)) &&
      (f.from === undefined || a.uploadedAt >= f.from) &&
      (f.to === undefined || a.uploadedAt <= f.to) &&
      (f.minSize === undefined || a.size >= f.minSize) &&
      (f.maxSize === undefined || a.size <= f.maxSize),
  );
  const sort = arrangement.sort ?? 'uploadedAt';
  const sign = (arrangement.direction ?? (sort === 'uploadedAt' ? 'desc' : 'asc')) === 'asc' ? 1 : -1;
  const compare = (a: T, b: T): number => {
    switch (sort) {
      case 'size':
        return a.size - b.size;
      case 'uploadedAt':
        return a.uploadedAt - b.uploadedAt;
      default:
        return collator.compare(String(a[sort]), String(b[sort]));
    }
  };
  return kept.sort((a, b) => sign * compare(a, b) || collator.compare(a.name, b.name));
}

/** A case's attachments, newest first, optionally searched / filtered / sorted. */
export async function listAttachments(caseId: string, arrangement: AttachmentView = {}, db: SidecaseDb = defaultDb): Promise<Attachment[]> {
  const list = await db.attachments
    .where('[caseId+uploadedAt]')
    .between([caseId, Dexie.minKey], [caseId, Dexie.maxKey])
    .reverse()
    .toArray();
  return arrangeAttachments(list, arrangement);
}

export function getAttachment(id: string, db: SidecaseDb = defaultDb): Promise<Attachment | undefined> {
  return db.attachments.get(id);
}
