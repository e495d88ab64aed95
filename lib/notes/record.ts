/**
 * The stored record of a new note, as every writer makes it (a note added to
 * a case or the inbox, the notes saved with a new case): validated, version 1.
 * Apart from lib/notes/prepare.ts so that Save's path loads no sanitizer.
 */
import { newId } from '../ids';
import { Note } from '../schema';
import type { PreparedNote } from './prepare';

export function newNoteRecord(prepared: PreparedNote, at: { caseId: string | undefined; author: string; now: number }): Note {
  return Note.parse({
    id: newId(at.now),
    caseId: at.caseId,
    body: prepared.body,
    format: prepared.format,
    author: at.author,
    createdAt: at.now,
    updatedAt: at.now,
    version: 1,
    words: prepared.words,
    inboxAt: at.caseId ? undefined : at.now,
  } satisfies Note);
}
