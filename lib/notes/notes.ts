/**
 * Notes: add (on a case, or in the inbox with no case), edit and delete one's
 * own, file an inbox note on a case, list. Every write puts the note, a
 * timeline event and an outbox entry in one transaction; a note on a resolved
 * or cancelled case is refused (read-only until reopened).
 */
import Dexie from 'dexie';
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { appendOutbox, appendTimeline } from '../db/changes';
import { SidecaseError } from '../errors';
import { Note } from '../schema';
import { noteWordsOfCase, putCaseVersion, refreshCaseNoteWords, requireActiveCase } from '../cases/write';
import { keptEventData, redactNote, unmaskedIn, type RedactionChoice } from '../redaction/apply';
import type { KeptItem } from '../redaction/mask';
import { prepareNote, type NoteInput } from './prepare';
import { newNoteRecord } from './record';

/** "kept unmasked: IBAN" on the case's timeline (inbox notes have no case: nothing to log on). */
async function logKept(db: SidecaseDb, caseId: string | undefined, kept: readonly KeptItem[], actor: string, at: number) {
  if (!caseId) return;
  for (const data of keptEventData(kept)) await appendTimeline(db, { caseId, kind: 'redaction', actor, at, data });
}

export interface NoteContext extends RedactionChoice {
  actor: string;
  now?: number;
  db?: SidecaseDb;
}

const excerptOf = (words: string[]) => words.slice(0, 12).join(' ');

/** A note added or edited: what the agent kept unmasked, the timeline event and the outbox entry. */
async function logNoteChange(
  db: SidecaseDb,
  note: Note,
  action: 'added' | 'edited',
  { kept, actor, now }: { kept: readonly KeptItem[]; actor: string; now: number },
) {
  await logKept(db, note.caseId, kept, actor, now);
  await appendTimeline(db, { caseId: note.caseId, kind: 'note', actor, at: now, data: { action, noteId: note.id, excerpt: excerptOf(note.words ?? []) } });
  await appendOutbox(db, { entity: 'note', entityId: note.id, type: action === 'added' ? 'note.added' : 'note.updated', at: now, data: note });
}

/**
 * The first note an agent adds to a case after creating it is its first
 * response: it stops the first-response SLA timer.
 */
async function touchCase(db: SidecaseDb, caseId: string, now: number) {
  const record = await requireActiveCase(db, caseId);
  const isFirstResponse = record.sla !== undefined && record.sla.firstRespondedAt === undefined;
  const sla = isFirstResponse ? { ...record.sla!, firstRespondedAt: now } : record.sla;
  // Called once the note is stored: its words join the case's note words.
  const after = await putCaseVersion(db, record, { sla, noteWords: await noteWordsOfCase(db, caseId) }, now);
  // The first-response time is the case's own data: it travels like any case
  // change, or a pulled edit from another desk would erase it.
  if (isFirstResponse) await appendOutbox(db, { entity: 'case', entityId: caseId, type: 'case.updated', at: now, data: after });
  return after;
}

/** Add a note to a case, or to the Notes inbox when `caseId` is undefined. */
export async function addNote(caseId: string | undefined, input: NoteInput, ctx: NoteContext): Promise<Note> {
  // Masked before the transaction: the note, its words, its timeline excerpt and its outbox entry never hold the original.
  const { note: prepared, kept } = await redactNote(prepareNote(input), ctx);
  const db = ctx.db ?? defaultDb;
  const now = ctx.now ?? Date.now();
  return db.transaction('rw', [db.notes, db.cases, db.customers, db.timeline, db.outbox], async () => {
    if (caseId) await requireActiveCase(db, caseId);
    const note = newNoteRecord(prepared, { caseId, author: ctx.actor, now });
    await db.notes.add(note);
    if (caseId) await touchCase(db, caseId, now);
    await logNoteChange(db, note, 'added', { kept, actor: ctx.actor, now });
    return note;
  });
}

/** Load a note the actor may change: it exists, it is theirs, its case is not read-only. */
async function requireOwnNote(db: SidecaseDb, id: string, actor: string): Promise<Note> {
  const note = await db.notes.get(id);
  if (!note) throw new SidecaseError('note.notFound');
  if (note.author !== actor) throw new SidecaseError('note.notYours');
  if (note.caseId) await requireActiveCase(db, note.caseId);
  return note;
}

export async function editNote(id: string, input: NoteInput, ctx: NoteContext): Promise<Note> {
  const db = ctx.db ?? defaultDb;
  // A value the stored note already holds unmasked stays so (see unmaskedIn); only a new keep is logged.
  const alreadyKept = await unmaskedIn([(await db.notes.get(id))?.body], ctx);
  const redacted = await redactNote(prepareNote(input), { ...ctx, keepUnmasked: [...(ctx.keepUnmasked ?? []), ...alreadyKept] });
  const prepared = redacted.note;
  const kept = redacted.kept.filter((item) => !alreadyKept.includes(item.original));
  const now = ctx.now ?? Date.now();
  return db.transaction('rw', [db.notes, db.cases, db.customers, db.timeline, db.outbox], async () => {
    const before = await requireOwnNote(db, id, ctx.actor);
    if (before.body === prepared.body && before.format === prepared.format) return before;
    const note = Note.parse({
      ...before,
      body: prepared.body,
      format: prepared.format,
      words: prepared.words,
      updatedAt: Math.max(now, before.updatedAt),
      version: before.version + 1,
    } satisfies Note);
    await db.notes.put(note);
    if (note.caseId) await refreshCaseNoteWords(db, note.caseId);
    await logNoteChange(db, note, 'edited', { kept, actor: ctx.actor, now });
    return note;
  });
}

export async function deleteNote(id: string, ctx: NoteContext): Promise<void> {
  const db = ctx.db ?? defaultDb;
  const now = ctx.now ?? Date.now();
  await db.transaction('rw', [db.notes, db.cases, db.timeline, db.outbox], async () => {
    const note = await requireOwnNote(db, id, ctx.actor);
    await db.notes.delete(id);
    if (note.caseId) await refreshCaseNoteWords(db, note.caseId);
    await appendTimeline(db, {
      caseId: note.caseId,
      kind: 'note',
      actor: ctx.actor,
      at: now,
      data: { action: 'deleted', noteId: id, excerpt: excerptOf(note.words ?? []) },
    });
    await appendOutbox(db, { entity: 'note', entityId: id, type: 'note.deleted', at: now, data: { id, caseId: note.caseId } });
  });
}

/** File a note from the inbox on a case (the case must be active). */
export async function fileNoteOnCase(noteId: string, caseId: string, ctx: NoteContext): Promise<Note> {
  const db = ctx.db ?? defaultDb;
  const now = ctx.now ?? Date.now();
  return db.transaction('rw', [db.notes, db.cases, db.customers, db.timeline, db.outbox], async () => {
    const before = await db.notes.get(noteId);
    if (!before) throw new SidecaseError('note.notFound');
    if (before.caseId) throw new SidecaseError('note.alreadyFiled');
    await requireActiveCase(db, caseId);
    const note = Note.parse({ ...before, caseId, inboxAt: undefined, updatedAt: Math.max(now, before.updatedAt), version: before.version + 1 } satisfies Note);
    await db.notes.put(note);
    await touchCase(db, caseId, now);
    await appendTimeline(db, { caseId, kind: 'note', actor: ctx.actor, at: now, data: { action: 'filed', noteId } });
    await appendOutbox(db, { entity: 'note', entityId: noteId, type: 'note.updated', at: now, data: note });
    return note;
  });
}

/** A case's notes, newest first. */
export function listNotes(caseId: string, db: SidecaseDb = defaultDb): Promise<Note[]> {
  return db.notes
    .where('[caseId+createdAt]')
    .between([caseId, Dexie.minKey], [caseId, Dexie.maxKey])
    .reverse()
    .toArray();
}

/** Notes not yet on a case (the Notes inbox), newest first. */
export function listInboxNotes(limit = 200, db: SidecaseDb = defaultDb): Promise<Note[]> {
  return db.notes.orderBy('inboxAt').reverse().limit(limit).toArray();
}

/** Only the author edits or deletes a note, and not on a read-only case. */
export function canChangeNote(note: Pick<Note, 'author'>, actor: string): boolean {
  return note.author === actor;
}
