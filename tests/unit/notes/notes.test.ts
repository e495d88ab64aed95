// @vitest-environment happy-dom
import './happy-dom-purify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { caseInput } from '../cases/helpers';
import { resolveCase } from '../../../lib/cases/lifecycle';
import { listTimeline } from '../../../lib/cases/queries';
import { SidecaseDb } from '../../../lib/db/db';
import { SidecaseError } from '../../../lib/errors';
import { addNote, deleteNote, editNote, fileNoteOnCase, listInboxNotes, listNotes } from '../../../lib/notes/notes';
import { prepareNote, sanitizeNoteHtml } from '../../../lib/notes/prepare';
import type { Case } from '../../../lib/schema';

let db: SidecaseDb;
let now = 1_700_000_000_000;
const ctx = (actor = 'Bea') => ({ actor, db, now: ++now });
let theCase: Case;

beforeEach(async () => {
  db = new SidecaseDb(`test-${crypto.randomUUID()}`);
  theCase = (
    await createCase(
      caseInput({ title: 'Refund', customer: { name: 'Ana', email: 'ana@example.com', phone: '', company: '' } }),
      ctx(),
    )
  ).case;
});
afterEach(() => db.close());

async function keyOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SidecaseError);
  return (error as SidecaseError).key;
}

describe('sanitizing rich-text notes', () => {
  it('keeps bold, italic, lists, paragraphs, line breaks and safe links', () => {
    const html = '<p><b>Bold</b> <i>it</i> <em>em</em> <strong>st</strong><br></p><ul><li>one</li></ul><ol><li>two</li></ol>';
    expect(sanitizeNoteHtml(html)).toBe(html);
    expect(sanitizeNoteHtml('<a href="https://example.com/x">x</a>')).toBe(
      '<a href="https://example.com/x" rel="noopener noreferrer" target="_blank">x</a>',
    );
    expect(sanitizeNoteHtml('<a href="mailto:ana@example.com">mail</a>')).toContain('href="mailto:ana@example.com"');
  });

  it('strips scripts, event handlers, styles and unknown tags but keeps their text', () => {
    const clean = sanitizeNoteHtml(
      '<p onclick="steal()" style="color:red">Hi<script>alert(1)</script><span>there</span><u>!</u></p>',
    );
    expect(clean).toBe('<p>Hithere!</p>');
  });

  it('drops javascript: and data: links', () => {
    expect(sanitizeNoteHtml('<a href="javascript:alert(1)">x</a>')).toBe('<a>x</a>');
    expect(sanitizeNoteHtml('<a href="data:text/html,<script>1</script>">x</a>')).toBe('<a>x</a>');
  });

  it('keeps pasted raster images and blob: images, removes other images', () => {
    const png = '<img src="data:image/png;base64,iVBORw0KGgo=">';
    expect(sanitizeNoteHtml(png)).toBe(png);
    expect(sanitizeNoteHtml('<img src="blob:chrome-extension://abc/123">')).toContain('src="blob:');
    expect(sanitizeNoteHtml('<img src="https://tracker.example/p.gif">')).toBe('');
    expect(sanitizeNoteHtml('<img src="data:image/svg+xml;base64,PHN2Zz4=">')).toBe('');
    expect(sanitizeNoteHtml('<img src="x" onerror="alert(1)">')).toBe('');
  });

  it('refuses an empty note and cuts the words of a rich one', () => {
    expect(() => prepareNote({ body: '<p> </p>', format: 'html' })).toThrow('note.body.required');
    expect(() => prepareNote({ body: '   ', format: 'text' })).toThrow('note.body.required');
    expect(prepareNote({ body: '<p>Chargeback <b>formulár</b></p>', format: 'html' }).words).toEqual(['chargeback', 'formular']);
  });
});

describe('notes on a case', () => {
  it('adds a note with its timeline event and outbox entry', async () => {
    const note = await addNote(theCase.id, { body: '<p>Called <b>back</b></p><script>x()</script>', format: 'html' }, ctx());
    expect(note).toMatchObject({ caseId: theCase.id, body: '<p>Called <b>back</b></p>', author: 'Bea' });
    expect((await listTimeline(theCase.id, db))[0]).toMatchObject({ kind: 'note', data: { action: 'added', noteId: note.id } });
    expect((await db.outbox.toArray()).map((e) => e.type)).toContain('note.added');
    expect((await listNotes(theCase.id, db)).map((n) => n.id)).toEqual([note.id]);
  });

  it('keeps a note in the inbox until it is filed on a case', async () => {
    const note = await addNote(undefined, { body: 'Ring Ana on Tuesday', format: 'text' }, ctx());
    expect((await listInboxNotes(50, db)).map((n) => n.id)).toEqual([note.id]);
    await fileNoteOnCase(note.id, theCase.id, ctx());
    expect(await listInboxNotes(50, db)).toEqual([]);
    expect((await listNotes(theCase.id, db)).map((n) => n.id)).toEqual([note.id]);
  });

  it('goes with a case created with notes typed before saving', async () => {
    const { case: c, notes } = await createCase(
      caseInput({ title: 'With notes', customer: { name: 'Ana', email: 'ana@example.com', phone: '', company: '' } }),
      ctx(),
      { notes: [prepareNote({ body: '<p>First <i>thoughts</i></p>', format: 'html' })] },
    );
    expect(notes).toHaveLength(1);
    expect((await listNotes(c.id, db))[0]).toMatchObject({ body: '<p>First <i>thoughts</i></p>', words: ['first', 'thoughts'] });
  });

  it('lets the author edit and delete their note, recorded on the timeline', async () => {
    const note = await addNote(theCase.id, { body: 'Frist draft', format: 'text' }, ctx());
    const edited = await editNote(note.id, { body: 'First draft', format: 'text' }, ctx());
    expect(edited).toMatchObject({ body: 'First draft', version: 2, words: ['first', 'draft'] });
    await deleteNote(note.id, ctx());
    expect(await db.notes.get(note.id)).toBeUndefined();
    const actions = (await listTimeline(theCase.id, db)).filter((e) => e.kind === 'note').map((e) => e.data.action);
    expect(actions).toEqual(['deleted', 'edited', 'added']);
    expect((await db.outbox.toArray()).map((e) => e.type)).toEqual(expect.arrayContaining(['note.updated', 'note.deleted']));
  });

  it('refuses to let another agent edit or delete a note', async () => {
    const note = await addNote(theCase.id, { body: 'Mine', format: 'text' }, ctx('Bea'));
    expect(await keyOf(editNote(note.id, { body: 'Theirs', format: 'text' }, ctx('Cem')))).toBe('note.notYours');
    expect(await keyOf(deleteNote(note.id, ctx('Cem')))).toBe('note.notYours');
    expect((await db.notes.get(note.id))?.body).toBe('Mine');
  });

  it('refuses notes on a resolved case, and edits of notes on it', async () => {
    const note = await addNote(theCase.id, { body: 'Before', format: 'text' }, ctx());
    await resolveCase(theCase.id, { type: 'other', text: 'done' }, ctx());
    expect(await keyOf(addNote(theCase.id, { body: 'After', format: 'text' }, ctx()))).toBe('case.readOnly');
    expect(await keyOf(editNote(note.id, { body: 'Changed', format: 'text' }, ctx()))).toBe('case.readOnly');
    expect(await keyOf(deleteNote(note.id, ctx()))).toBe('case.readOnly');
    expect(await db.notes.count()).toBe(1);
  });

  it('leaves no note when its timeline event cannot be written', async () => {
    db.timeline.hook('creating', () => {
      throw new Error('boom');
    });
    await expect(addNote(theCase.id, { body: 'Lost', format: 'text' }, ctx())).rejects.toThrow('boom');
    expect(await db.notes.count()).toBe(0);
    expect((await db.outbox.toArray()).map((e) => e.type)).not.toContain('note.added');
  });
});
