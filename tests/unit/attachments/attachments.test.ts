import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AttachmentDeleteRefusedError,
  AttachmentTooLargeError,
  DEFAULT_MAX_ATTACHMENT_BYTES,
  addAttachments,
  arrangeAttachments,
  deleteAttachments,
  deleteRefusalOf,
  isQuotaError,
  listAttachments,
  type AttachmentSource,
} from '../../../lib/attachments/attachments';
import { createCase } from '../../../lib/cases/create';
import { caseInput } from '../cases/helpers';
import { cancelCase } from '../../../lib/cases/lifecycle';
import { listTimeline } from '../../../lib/cases/queries';
import { SidecaseDb } from '../../../lib/db/db';
import { SidecaseError } from '../../../lib/errors';
import type { Case } from '../../../lib/schema';

let db: SidecaseDb;
let theCase: Case;
let now = 1_700_000_000_000;

const file = (name: string, content: string | Uint8Array, type = 'text/plain') =>
  new File([content as BlobPart], name, { type });
const add = (files: File[], opts: { source?: AttachmentSource; maxBytes?: number; uploadedBy?: string } = {}) =>
  addAttachments(theCase.id, files, { uploadedBy: 'Bea', db, now: ++now, ...opts });

async function keyOf(promise: Promise<unknown>): Promise<SidecaseError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SidecaseError);
  return error as SidecaseError;
}

beforeEach(async () => {
  db = new SidecaseDb(`test-${crypto.randomUUID()}`);
  theCase = (
    await createCase(
      caseInput({ title: 'Broken invoice', customer: { name: 'Ana', email: 'ana@example.com', phone: '', company: '' } }),
      { actor: 'Bea', db, now },
    )
  ).case;
});
afterEach(() => db.close());

async function sideEffects() {
  const outbox = await db.outbox.toArray();
  return {
    attachments: await db.attachments.count(),
    attachmentEvents: (await listTimeline(theCase.id, db)).filter((e) => e.kind === 'attachment').length,
    attachmentEntries: outbox.filter((e) => e.entity === 'attachment').length,
  };
}

describe('adding attachments', () => {
  it('stores several files at once with name, type, size, SHA-256, source, uploader and time', async () => {
    const saved = await add([file('hello.txt', 'hello'), file('scan.pdf', '%PDF-1.4', 'application/pdf')]);
    expect(saved).toHaveLength(2);
    const hello = await db.attachments.get(saved[0]!.id);
    expect(hello).toMatchObject({
      caseId: theCase.id,
      name: 'hello.txt',
      type: 'text/plain',
      size: 5,
      sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
      source: 'upload',
      uploadedBy: 'Bea',
      uploadedAt: now,
    });
    expect(await hello!.blob.text()).toBe('hello');
    expect(await sideEffects()).toEqual({ attachments: 2, attachmentEvents: 1, attachmentEntries: 2 });
    const entry = (await db.outbox.toArray()).find((e) => e.type === 'attachment.added');
    expect(entry?.data).not.toHaveProperty('blob');
  });

  it('stores a name without the bidi override that disguises its extension', async () => {
    // "invoice<RLO>fdp.exe" shows as "invoiceexe.pdf": stored as the characters it really ends in.
    const stored = await add([file('invoice\u202Efdp.exe', 'x'), file('re\u200Bceipt\n\t.png', 'y', 'image/png')]);
    expect(stored.map((a) => a.name)).toEqual(['invoicefdp.exe', 'receipt .png']);
  });

  it('takes a file of exactly the limit and refuses one byte more, naming the file and writing nothing', async () => {
    await add([file('exact.bin', new Uint8Array(100))], { maxBytes: 100 });
    const error = await keyOf(add([file('ok.txt', 'ok'), file('huge.bin', new Uint8Array(101))], { maxBytes: 100 }));
    expect(error).toBeInstanceOf(AttachmentTooLargeError);
    expect(error).toMatchObject({ key: 'attachment.tooLarge', fileName: 'huge.bin', maxBytes: 100 });
    expect(await db.attachments.count()).toBe(1);
  });

  it('limits files to 25 MB by default', async () => {
    expect(DEFAULT_MAX_ATTACHMENT_BYTES).toBe(25 * 1024 * 1024);
    const error = await keyOf(add([file('video.mp4', new Uint8Array(DEFAULT_MAX_ATTACHMENT_BYTES + 1))]));
    expect(error.key).toBe('attachment.tooLarge');
  });

  it('says storage is full when IndexedDB throws QuotaExceededError, keeping nothing of the batch', async () => {
    let count = 0;
    db.attachments.hook('creating', () => {
      if (++count === 2) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const error = await keyOf(add([file('a.txt', 'a'), file('b.txt', 'b'), file('c.txt', 'c')]));
    expect(error.key).toBe('attachment.storageFull');
    expect(await sideEffects()).toEqual({ attachments: 0, attachmentEvents: 0, attachmentEntries: 0 });
  });

  it('says storage is full when the quota error arrives wrapped in an AbortError', async () => {
    db.outbox.hook('creating', (_key, entry) => {
      if (entry.entity === 'attachment') {
        throw new Dexie.AbortError('Transaction aborted', new DOMException('quota', 'QuotaExceededError'));
      }
    });
    const error = await keyOf(add([file('a.txt', 'a'), file('b.txt', 'b')]));
    expect(error.key).toBe('attachment.storageFull');
    expect(await sideEffects()).toEqual({ attachments: 0, attachmentEvents: 0, attachmentEntries: 0 });
  });

  it('recognises the quota error plain, as inner error, as cause and by an abort message', () => {
    const quota = new DOMException('full', 'QuotaExceededError');
    expect(isQuotaError(quota)).toBe(true);
    expect(isQuotaError(Object.assign(new DOMException('aborted', 'AbortError'), { inner: quota }))).toBe(true);
    expect(isQuotaError(new Error('write failed', { cause: quota }))).toBe(true);
    expect(isQuotaError(new DOMException('QuotaExceededError: disk full', 'AbortError'))).toBe(true);
    expect(isQuotaError(new DOMException('aborted', 'AbortError'))).toBe(false);
    expect(isQuotaError(new Error('boom'))).toBe(false);
  });

  it('passes other failures on unchanged', async () => {
    db.attachments.hook('creating', () => {
      throw new Error('disk on fire');
    });
    await expect(add([file('a.txt', 'a')])).rejects.toThrow('disk on fire');
  });

  it('refuses attachments on a cancelled case', async () => {
    await cancelCase(theCase.id, { actor: 'Bea', db, now: ++now });
    expect((await keyOf(add([file('a.txt', 'a')]))).key).toBe('case.readOnly');
    expect(await db.attachments.count()).toBe(0);
  });
});

describe('deleting attachments', () => {
  it('deletes several direct uploads at once, on the timeline and in the outbox', async () => {
    const saved = await add([file('a.txt', 'a'), file('b.txt', 'b'), file('c.txt', 'c')]);
    // Uploaded and confirmed: the backend holds them, so their deletes are queued
    // (an upload never sent is dropped with its delete: delete-before-sync.test.ts).
    await db.outbox.filter((entry) => entry.type === 'attachment.added').delete();
    await deleteAttachments([saved[0]!.id, saved[2]!.id], { actor: 'Bea', db, now: ++now });
    expect((await db.attachments.toArray()).map((a) => a.name)).toEqual(['b.txt']);
    expect((await listTimeline(theCase.id, db))[0]).toMatchObject({ kind: 'attachment', data: { action: 'deleted', names: ['a.txt', 'c.txt'] } });
    expect((await db.outbox.toArray()).filter((e) => e.type === 'attachment.deleted')).toHaveLength(2);
  });

  it('says why each other source cannot be deleted', () => {
    expect(deleteRefusalOf({ source: 'upload' })).toBeUndefined();
    expect(deleteRefusalOf({ source: 'note' })).toBe('attachment.delete.fromNote');
    expect(deleteRefusalOf({ source: 'clipboard' })).toBe('attachment.delete.fromClipboard');
    expect(deleteRefusalOf({ source: 'page' })).toBe('attachment.delete.fromPage');
    expect(deleteRefusalOf({ source: 'screenshot' })).toBe('attachment.delete.fromScreenshot');
  });

  it('refuses a batch holding a non-upload and deletes nothing of it', async () => {
    const [upload] = await add([file('a.txt', 'a')]);
    const [shot] = await add([file('shot.png', 'png', 'image/png')], { source: 'screenshot' });
    const error = await keyOf(deleteAttachments([upload!.id, shot!.id], { actor: 'Bea', db }));
    expect(error).toBeInstanceOf(AttachmentDeleteRefusedError);
    expect((error as AttachmentDeleteRefusedError).refused).toEqual([{ id: shot!.id, name: 'shot.png', key: 'attachment.delete.fromScreenshot' }]);
    expect(await db.attachments.count()).toBe(2);
  });

  it('refuses to delete from a read-only case', async () => {
    const [upload] = await add([file('a.txt', 'a')]);
    await cancelCase(theCase.id, { actor: 'Bea', db, now: ++now });
    expect((await keyOf(deleteAttachments([upload!.id], { actor: 'Bea', db }))).key).toBe('case.readOnly');
    expect(await db.attachments.count()).toBe(1);
  });
});

describe('listing attachments', () => {
  beforeEach(async () => {
    await add([file('Számla március.pdf', 'x'.repeat(300), 'application/pdf')], { uploadedBy: 'Bea' });
    await add([file('photo.png', 'x'.repeat(10), 'image/png')], { source: 'clipboard', uploadedBy: 'Cem' });
    await add([file('log.txt', 'x'.repeat(50))], { uploadedBy: 'Cem' });
  });

  it('lists the newest first by default', async () => {
    expect((await listAttachments(theCase.id, {}, db)).map((a) => a.name)).toEqual(['log.txt', 'photo.png', 'Számla március.pdf']);
  });

  it('searches by name ignoring accents and case', async () => {
    expect((await listAttachments(theCase.id, { query: 'SZAMLA' }, db)).map((a) => a.name)).toEqual(['Számla március.pdf']);
  });

  it('sorts by size or name in either direction', async () => {
    expect((await listAttachments(theCase.id, { sort: 'size' }, db)).map((a) => a.size)).toEqual([10, 50, 300]);
    expect((await listAttachments(theCase.id, { sort: 'size', direction: 'desc' }, db)).map((a) => a.size)).toEqual([300, 50, 10]);
    expect((await listAttachments(theCase.id, { sort: 'name' }, db)).map((a) => a.name)).toEqual(['log.txt', 'photo.png', 'Számla március.pdf']);
  });

  it('filters by source, uploader and upload time', async () => {
    const all = await listAttachments(theCase.id, {}, db);
    expect(arrangeAttachments(all, { filters: { source: 'clipboard' } }).map((a) => a.name)).toEqual(['photo.png']);
    expect(arrangeAttachments(all, { filters: { uploadedBy: 'Cem' }, sort: 'uploadedBy' }).map((a) => a.name)).toEqual(['log.txt', 'photo.png']);
    expect(arrangeAttachments(all, { filters: { from: now } }).map((a) => a.name)).toEqual(['log.txt']);
  });

  it('filters by size, bounds included', async () => {
    const all = await listAttachments(theCase.id, {}, db);
    expect(arrangeAttachments(all, { filters: { minSize: 50 }, sort: 'size' }).map((a) => a.size)).toEqual([50, 300]);
    expect(arrangeAttachments(all, { filters: { maxSize: 49 } }).map((a) => a.size)).toEqual([10]);
    expect(arrangeAttachments(all, { filters: { minSize: 11, maxSize: 299 } }).map((a) => a.size)).toEqual([50]);
  });
});
