// @vitest-environment happy-dom
import '../notes/happy-dom-purify';
import { describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { resolveCase } from '../../../lib/cases/resolve';
import { listTimeline } from '../../../lib/cases/queries';
import type { SidecaseDb } from '../../../lib/db/db';
import { addNote } from '../../../lib/notes/notes';
import { findInCase, findInNote, scanStored, type ScanReport } from '../../../lib/redaction/scan';
import { maskScanned } from '../../../lib/redaction/scan-mask';
import { DEFAULT_REDACTION_MODES, type RedactionModes } from '../../../lib/redaction/span';
import { caseInput, freshDb } from '../cases/helpers';

// Invented values that pass their checks: a Visa test number, a Romanian IBAN, a password.
const CARD = '4111 1111 1111 1111';
const IBAN = 'RO49 AAAA 1B31 0075 9384 0000';
const MASKED_CARD = '•••• •••• •••• 1111';
const MASKED_IBAN = 'RO49 •••• •••• •••• •••• 0000';
const ORIGINALS = ['4111', '1B31', 'Alma1234'];

const T0 = Date.UTC(2025, 8, 1, 9, 0, 0);
const OFF: RedactionModes = { card: 'off', iban: 'off', secret: 'off', nationalId: 'off' };
const MASK = { modes: DEFAULT_REDACTION_MODES };
const noWait = async () => undefined;

/** Writes as a version before masking did: every kind off, so the originals reach the records, timeline and outbox. */
async function seedUnmasked(db: SidecaseDb) {
  const ctx = { actor: 'Bea', db, now: T0 };
  const { case: card } = await createCase(
    caseInput({ title: `Charged twice on ${CARD}`, description: `Order 4111111111111111 · refund to ${IBAN}` }),
    ctx,
    { redactionModes: OFF },
  );
  const { case: plain } = await createCase(caseInput({ title: 'Parcel late', description: 'Tracking 1Z999AA10123456784, call +40 721 234 567' }), ctx, {
    redactionModes: OFF,
  });
  const note = await addNote(card.id, { body: `<p>Login <b>ana.k</b>, password: Alma1234!</p><p>IBAN again: ${IBAN}</p>`, format: 'html' }, { ...ctx, now: T0 + 1, redactionModes: OFF });
  const inbox = await addNote(undefined, { body: `Card ${CARD}`, format: 'text' }, { ...ctx, now: T0 + 2, redactionModes: OFF });
  return { card, plain, note, inbox };
}

async function everything(db: SidecaseDb): Promise<string> {
  return JSON.stringify(await Promise.all([db.cases.toArray(), db.notes.toArray(), db.timeline.toArray(), db.outbox.toArray()]));
}

describe('finding in a record', () => {
  it('finds a card in a title and an IBAN in a description, and previews only their masked forms', () => {
    const found = findInCase({ id: 'c1', title: `Charged twice on ${CARD}`, subject: '', description: `Please refund to ${IBAN} today` }, MASK);
    expect(found.map((f) => [f.field, f.label])).toEqual([
      ['title', 'card'],
      ['description', 'iban'],
    ]);
    expect(found[0]!.preview).toBe(`Charged twice on ${MASKED_CARD}`);
    expect(found[1]!.preview).toBe(`Please refund to ${MASKED_IBAN} today`);
    for (const original of ORIGINALS) expect(JSON.stringify(found)).not.toContain(original);
  });

  it('reads an HTML note between its tags, and previews text without markup', () => {
    const [finding] = findInNote({ id: 'n1', format: 'html', body: `<p>Card: <b>${CARD}</b></p><img src="data:image/png;base64,AAAA" alt="">` }, MASK);
    expect(finding).toMatchObject({ entity: 'note', field: 'note', label: 'card' });
    expect(finding!.preview).toBe(`Card: ${MASKED_CARD}…`);
  });

  it('leaves case, order, tracking and phone numbers alone', () => {
    const text = 'Re: CAS-000123-4111111111, order 4111111111111111, tracking 1Z999AA10123456784, call +36 20 123 4567';
    expect(findInCase({ id: 'c1', title: text, subject: text, description: text }, MASK)).toEqual([]);
  });

  it('does not look for a kind switched off', () => {
    const found = findInCase({ id: 'c1', title: CARD, subject: '', description: IBAN }, { modes: { ...DEFAULT_REDACTION_MODES, card: 'off' } });
    expect(found.map((f) => f.label)).toEqual(['iban']);
  });
});

describe('scanning stored cases', () => {
  it('groups what it finds by case, with counts per kind, and touches nothing', async () => {
    const db = freshDb();
    const { card, note, inbox } = await seedUnmasked(db);
    const before = await everything(db);
    const report = await scanStored(db, { mask: MASK, yieldToPage: noWait });
    expect(report).toMatchObject({ scanned: 4, total: 4, cancelled: false, counts: { card: 2, iban: 2, password: 1 } });
    expect(report.groups.map((g) => [g.caseNumber, g.findings.map((f) => `${f.entity === 'note' ? f.entityId : f.field}:${f.label}`)])).toEqual([
      [card.number, ['title:card', 'description:iban', `${note.id}:password`, `${note.id}:iban`]],
      [undefined, [`${inbox.id}:card`]],
    ]);
    expect(await everything(db)).toBe(before);
    // A kind the agent switched off is not looked for in stored records either.
    const noCards = await scanStored(db, { mask: { modes: { ...DEFAULT_REDACTION_MODES, card: 'off' } }, yieldToPage: noWait });
    expect(noCards.counts).toEqual({ iban: 2, password: 1 });
  });

  it('reads in chunks, reports progress after each, and stops between two chunks when cancelled', async () => {
    const db = freshDb();
    const cases = Array.from({ length: 450 }, (_, i) => ({ id: `01J${String(i).padStart(23, '0')}`, title: i === 420 ? CARD : `Case ${i}`, description: '' }));
    // Straight into the table, as an older version stored them (only the fields the scan reads matter here).
    await db.cases.bulkAdd(cases as never);
    const progress: number[] = [];
    const report = await scanStored(db, { mask: MASK, chunkSize: 200, yieldToPage: noWait, onProgress: (p) => progress.push(p.scanned) });
    expect(progress).toEqual([0, 200, 400, 450, 450]);
    expect(report.groups.flatMap((g) => g.findings.map((f) => f.entityId))).toEqual([cases[420]!.id]);

    const controller = new AbortController();
    const partial = await scanStored(db, {
      mask: MASK,
      chunkSize: 200,
      signal: controller.signal,
      yieldToPage: async () => controller.abort(),
    });
    expect(partial).toMatchObject({ scanned: 200, total: 450, cancelled: true, groups: [] });
  });
});

describe('masking what a scan found', () => {
  it('writes each change through the record, its timeline and the outbox, and a second scan finds nothing', async () => {
    const db = freshDb();
    const { card, plain, note, inbox } = await seedUnmasked(db);
    const plainBefore = await db.cases.get(plain.id);
    const outboxBefore = await db.outbox.count();
    const report = await scanStored(db, { mask: MASK, yieldToPage: noWait });
    const result = await maskScanned(report.groups, { db, actor: 'Bea', mask: MASK, now: T0 + 10_000, yieldToPage: noWait });
    expect(result).toEqual({ cases: 1, notes: 2, counts: { card: 2, iban: 2, password: 1 }, failed: 0 });

    const stored = (await db.cases.get(card.id))!;
    expect(stored.title).toBe(`Charged twice on ${MASKED_CARD}`);
    expect(stored.description).toBe(`Order 4111111111111111 · refund to ${MASKED_IBAN}`);
    expect(stored.version).toBe(card.version + 2); // the note's first response, then the scan
    expect((await db.notes.get(note.id))!.body).toBe(`<p>Login <b>ana.k</b>, password: [secret removed]</p><p>IBAN again: ${MASKED_IBAN}</p>`);
    expect((await db.notes.get(inbox.id))!.body).toBe(`Card ${MASKED_CARD}`);
    // Search words re-derived from the masked text.
    expect(stored.words).not.toContain('4111');
    expect(stored.noteWords).not.toContain('alma1234');
    // The case with nothing to mask is as it was.
    expect(await db.cases.get(plain.id)).toEqual(plainBefore);

    const events = await listTimeline(card.id, db);
    expect(events.filter((e) => e.kind === 'redaction')).toEqual([
      expect.objectContaining({ actor: 'Bea', at: T0 + 10_000, data: { action: 'maskedByScan', counts: { card: 1, iban: 2, password: 1 } } }),
    ]);
    const queued = (await db.outbox.toArray()).slice(outboxBefore);
    expect(queued.map((e) => `${e.type}:${e.entityId}`).sort()).toEqual([`case.updated:${card.id}`, `note.updated:${inbox.id}`, `note.updated:${note.id}`].sort());
    expect(queued.find((e) => e.type === 'case.updated')!.data).toMatchObject({ title: stored.title, description: stored.description });

    // Not an original anywhere: records, words, older timeline events, changes still waiting to be sent.
    const all = await everything(db);
    for (const original of [CARD, IBAN, 'AAAA 1B31', 'Alma1234']) expect(all).not.toContain(original);

    const again = await scanStored(db, { mask: MASK, yieldToPage: noWait });
    expect(again.groups).toEqual([]);
    const count = await db.outbox.count();
    expect(await maskScanned(report.groups, { db, actor: 'Bea', mask: MASK, yieldToPage: noWait })).toEqual({ cases: 0, notes: 0, counts: {}, failed: 0 });
    expect(await db.outbox.count()).toBe(count);
  });

  it('corrects a resolved case too: the scan is a correction, not an edit', async () => {
    const db = freshDb();
    const { case: created } = await createCase(caseInput({ description: `Refund to ${IBAN}` }), { actor: 'Bea', db, now: T0 }, { redactionModes: OFF });
    await resolveCase(created.id, { type: 'problemSolved', text: 'Refunded.' }, { actor: 'Bea', db, now: T0 + 1 });
    const report: ScanReport = await scanStored(db, { mask: MASK, yieldToPage: noWait });
    expect((await maskScanned(report.groups, { db, actor: 'Bea', mask: MASK, yieldToPage: noWait })).cases).toBe(1);
    const stored = (await db.cases.get(created.id))!;
    expect(stored.state).toBe('resolved');
    expect(stored.description).toBe(`Refund to ${MASKED_IBAN}`);
  });
});
