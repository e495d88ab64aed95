/**
 * Options → "Scan stored cases", the second half: what a scan found
 * (lib/redaction/scan.ts) masked on the agent's confirmation, each case
 * written as every writer does: a new version with its words re-derived, its
 * notes with theirs, a timeline event "masked by scan: 2 card numbers" and an
 * outbox entry per record, so the backend is corrected too.
 */
import { appendOutbox, appendTimeline } from '../db/changes';
import type { SidecaseDb } from '../db/db';
import { putCaseVersion, refreshCaseNoteWords } from '../cases/write';
import { Note, type Case, type OutboxEntry } from '../schema';
import { noteWords } from '../search/words';
import { maskFields, maskText, type MaskOptions } from './mask';
import { CASE_FIELDS, countByLabel, maskNoteBody, nextTask, type ScanGroup } from './scan';
import type { RedactionLabel } from './span';

export interface MaskScannedContext {
  db: SidecaseDb;
  actor: string;
  mask: MaskOptions;
  now?: number;
  yieldToPage?: () => Promise<void>;
}

export interface MaskScannedResult {
  cases: number;
  notes: number;
  /** Per label, how many values were masked. */
  counts: Partial<Record<RedactionLabel, number>>;
  /** Groups whose write was refused (the case no longer parses, a masked title past its limit…): left as they were. */
  failed: number;
}

/** Strings of a stored change (a timeline event's data), masked wherever they sit; whether anything changed. */
function maskStrings(value: unknown, options: MaskOptions): { value: unknown; changed: boolean } {
  if (typeof value === 'string') {
    const masked = maskText(value, options);
    return { value: masked.text, changed: masked.items.length > 0 };
  }
  if (Array.isArray(value)) {
    const parts = value.map((v) => maskStrings(v, options));
    return { value: parts.map((p) => p.value), changed: parts.some((p) => p.changed) };
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, maskStrings(v, options)] as const);
    return { value: Object.fromEntries(entries.map(([k, p]) => [k, p.value])), changed: entries.some(([, p]) => p.changed) };
  }
  return { value, changed: false };
}

/**
 * A change still waiting in the outbox carries the record as it was: its free
 * text is masked in place (only `data`, so the engine's attempt count is not
 * overwritten), or the backend would receive the original before the fix.
 */
async function maskPendingOutbox(db: SidecaseDb, entity: 'case' | 'note', entityId: string, options: MaskOptions): Promise<void> {
  const pending: OutboxEntry[] = await db.outbox.where('[entity+entityId]').equals([entity, entityId]).toArray();
  for (const entry of pending) {
    const data = { ...entry.data } as Record<string, unknown>;
    let changed = false;
    if (entity === 'case') {
      for (const field of CASE_FIELDS) {
        if (typeof data[field] !== 'string') continue;
        const masked = maskText(data[field], options);
        if (masked.items.length === 0) continue;
        data[field] = masked.text;
        changed = true;
      }
    } else if (typeof data.body === 'string') {
      const format = data.format === 'html' ? 'html' : 'text';
      const masked = maskNoteBody({ body: data.body, format }, options);
      if (masked.items.length > 0) {
        Object.assign(data, { body: masked.text, words: noteWords({ body: masked.text, format }) });
        changed = true;
      }
    }
    if (changed) await db.outbox.update(entry.id, { data });
  }
}

/** One case (or the inbox's notes): its notes, then the case, then its timeline, in the caller's transaction. */
async function maskGroup(group: ScanGroup, ctx: MaskScannedContext, now: number): Promise<{ cases: number; notes: number; labels: RedactionLabel[] }> {
  const { db, mask } = ctx;
  const labels: RedactionLabel[] = [];
  const noteIds = [...new Set(group.findings.filter((f) => f.entity === 'note').map((f) => f.entityId))];
  let notesChanged = 0;
  for (const id of noteIds) {
    const before = await db.notes.get(id);
    if (!before) continue;
    const masked = maskNoteBody(before, mask);
    if (masked.items.length === 0) continue;
    const note = Note.parse({
      ...before,
      body: masked.text,
      words: noteWords({ body: masked.text, format: before.format }),
      updatedAt: Math.max(now, before.updatedAt),
      version: before.version + 1,
    } satisfies Note);
    await db.notes.put(note);
    await maskPendingOutbox(db, 'note', id, mask);
    await appendOutbox(db, { entity: 'note', entityId: id, type: 'note.updated', at: now, data: note });
    labels.push(...masked.items.map((item) => item.label));
    notesChanged++;
  }
  if (!group.caseId) return { cases: 0, notes: notesChanged, labels };
  // The notes first: the case's new version (and its outbox entry) then carries their masked words.
  if (notesChanged > 0) await refreshCaseNoteWords(db, group.caseId);
  const before = await db.cases.get(group.caseId);
  if (!before) return { cases: 0, notes: notesChanged, labels };
  const strings = Object.fromEntries(CASE_FIELDS.filter((f) => typeof before[f] === 'string').map((f) => [f, before[f] as string]));
  const masked = maskFields(strings, mask);
  if (masked.items.length > 0) {
    const after = await putCaseVersion(db, before, masked.fields as Partial<Case>, now);
    await maskPendingOutbox(db, 'case', before.id, mask);
    await appendOutbox(db, { entity: 'case', entityId: before.id, type: 'case.updated', at: now, data: after });
    labels.push(...masked.items.map((item) => item.label));
  }
  if (labels.length === 0) return { cases: 0, notes: 0, labels };
  // Older events quote the fields as they were (a title on "created", from/to on "fieldChanged", a note's excerpt).
  const events = await db.timeline.where('caseId').equals(before.id).toArray();
  for (const event of events) {
    const data = maskStrings(event.data, mask);
    if (data.changed) await db.timeline.update(event.id, { data: data.value as Record<string, unknown> });
  }
  const counts = countByLabel(labels.map((label) => ({ label })));
  await appendTimeline(db, { caseId: before.id, customerId: before.customerId, kind: 'redaction', actor: ctx.actor, at: now, data: { action: 'maskedByScan', counts } });
  return { cases: masked.items.length > 0 ? 1 : 0, notes: notesChanged, labels };
}

/**
 * Masks what a scan found, one transaction per case: each record is read
 * again and masked as it is now (an edit since the scan is kept, a value
 * already masked is not counted twice), so running it twice changes nothing.
 */
export async function maskScanned(groups: readonly ScanGroup[], ctx: MaskScannedContext): Promise<MaskScannedResult> {
  const { db } = ctx;
  const yieldToPage = ctx.yieldToPage ?? nextTask;
  const result: MaskScannedResult = { cases: 0, notes: 0, counts: {}, failed: 0 };
  for (const [i, group] of groups.entries()) {
    const now = ctx.now ?? Date.now();
    try {
      const done = await db.transaction('rw', [db.cases, db.notes, db.customers, db.timeline, db.outbox], () => maskGroup(group, ctx, now));
      result.cases += done.cases;
      result.notes += done.notes;
      for (const label of done.labels) result.counts[label] = (result.counts[label] ?? 0) + 1;
    } catch (error) {
      console.error('not masked', group.caseNumber ?? 'inbox', error);
      result.failed++;
    }
    if (i % 20 === 19) await yieldToPage();
  }
  return result;
}
