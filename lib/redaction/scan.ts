/**
 * Options → "Scan stored cases" (issue 15, item 5): card numbers, IBANs,
 * secrets and ids stored before masking existed (or while a kind was off),
 * found in the cases and notes already in the database, shown, and masked on
 * the agent's confirmation.
 *
 * Two halves. `findInCase` / `findInNote` are pure: a record in, what the
 * masker would change in it out, with a preview cut from the *masked* text
 * only (the original never leaves this file's memory). `scanStored` and
 * `maskScanned` drive them over Dexie: the scan reads CHUNK records per
 * transaction and yields to the page between chunks, so the options page
 * stays responsive over 50,000 records and Cancel is heard; masking writes
 * each case as every writer does (a new version with its words re-derived, a
 * timeline event "masked by scan: 2 card numbers", an outbox entry so the
 * backend is corrected too: `scan-mask.ts`).
 *
 * With scan-mask.ts, the files of lib/redaction that touch the database: the
 * options page loads them with `import()`.
 */
import type { SidecaseDb } from '../db/db';
import type { Case, Note } from '../schema';
import { maskHtml, maskText, type MaskOptions, type Masked } from './mask';
import type { RedactionKind, RedactionLabel } from './span';

/** Records read per transaction; the page gets the main thread back between two chunks. */
export const SCAN_CHUNK = 200;
/** Masked text shown on each side of a masked form in a finding's preview. */
const PREVIEW_CONTEXT = 30;

/** The free-text fields of a case the writers mask (lib/cases create and edit). */
export const CASE_FIELDS = ['title', 'subject', 'description'] as const;
export type CaseField = (typeof CASE_FIELDS)[number];

export interface ScanFinding {
  entity: 'case' | 'note';
  entityId: string;
  field: CaseField | 'note';
  kind: RedactionKind;
  label: RedactionLabel;
  /** The masked form (`•••• •••• •••• 4242`). */
  masked: string;
  /** The masked form with some masked text around it: what the options page shows. Never the original. */
  preview: string;
}

/** What was found in one case and its notes; inbox notes (on no case) form a group without a case. */
export interface ScanGroup {
  caseId?: string;
  caseNumber?: string;
  findings: ScanFinding[];
}

export interface ScanReport {
  scanned: number;
  total: number;
  groups: ScanGroup[];
  /** Per label ("card", "password"…): how many values were found. */
  counts: Partial<Record<RedactionLabel, number>>;
  cancelled: boolean;
}

// ------------------------------------------------------------------ finding (pure)

/** A tag cut at either end of the window, and the tags inside it, read as spaces. */
const stripTags = (html: string) => html.replace(/^[^<]*>/, (m) => (m.includes('<') ? m : ' ')).replace(/<[^>]*(>|$)/g, ' ');

function previewOf(masked: Masked, item: Masked['items'][number], isHtml: boolean): string {
  const from = Math.max(0, item.start - PREVIEW_CONTEXT);
  const to = Math.min(masked.text.length, item.end + PREVIEW_CONTEXT);
  let before = masked.text.slice(from, item.start);
  let after = masked.text.slice(item.end, to);
  if (isHtml) {
    before = stripTags(before);
    after = stripTags(after);
  }
  const squash = (s: string) => s.replace(/\s+/g, ' ');
  return `${from > 0 ? '…' : ''}${squash(before).trimStart()}${item.masked}${squash(after).trimEnd()}${to < masked.text.length ? '…' : ''}`;
}

function findingsOf(entity: ScanFinding['entity'], entityId: string, field: ScanFinding['field'], masked: Masked, isHtml: boolean): ScanFinding[] {
  return masked.items.map((item) => ({ entity, entityId, field, kind: item.kind, label: item.label, masked: item.masked, preview: previewOf(masked, item, isHtml) }));
}

export function maskNoteBody(note: Pick<Note, 'body' | 'format'>, options: MaskOptions): Masked {
  return note.format === 'html' ? maskHtml(note.body, options) : maskText(note.body, options);
}

/** What masking would change in a case's title, subject and description (the case number is never touched). */
export function findInCase(record: Pick<Case, 'id' | CaseField>, options: MaskOptions = {}): ScanFinding[] {
  return CASE_FIELDS.flatMap((field) => {
    const value = record[field];
    return typeof value === 'string' && value ? findingsOf('case', record.id, field, maskText(value, options), false) : [];
  });
}

/** What masking would change in a note; HTML is read between its tags only, so markup and image data stay whole. */
export function findInNote(note: Pick<Note, 'id' | 'body' | 'format'>, options: MaskOptions = {}): ScanFinding[] {
  if (typeof note.body !== 'string' || !note.body) return [];
  return findingsOf('note', note.id, 'note', maskNoteBody(note, options), note.format === 'html');
}

/** Per label, how many findings. */
export function countByLabel(findings: readonly Pick<ScanFinding, 'label'>[]): Partial<Record<RedactionLabel, number>> {
  const counts: Partial<Record<RedactionLabel, number>> = {};
  for (const { label } of findings) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}

// ------------------------------------------------------------------ scanning (Dexie)

export interface ScanOptions {
  /** The per-kind modes: a kind set to off is not looked for. */
  mask: MaskOptions;
  signal?: AbortSignal;
  onProgress?: (progress: { scanned: number; total: number }) => void;
  chunkSize?: number;
  /** Gives the page its main thread back between chunks (a timer task by default). */
  yieldToPage?: () => Promise<void>;
}

export const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Every record of a table in primary-key order, `size` per read transaction, yielding between reads. */
async function walk<T extends { id: string }>(
  table: SidecaseDb['cases'] | SidecaseDb['notes'],
  size: number,
  visit: (records: T[]) => void,
  between: () => Promise<boolean>,
): Promise<boolean> {
  let after: string | undefined;
  for (;;) {
    const collection = after === undefined ? table.orderBy(':id') : table.where(':id').above(after);
    const records = (await collection.limit(size).toArray()) as unknown as T[];
    if (records.length === 0) return true;
    visit(records);
    after = records.at(-1)!.id;
    if (records.length < size) return true;
    if (!(await between())) return false;
  }
}

/**
 * Reads every case and note, `chunkSize` records per transaction, and
 * returns what masking would change, grouped by case. Stops between two
 * chunks when `signal` aborts (the report then says `cancelled`).
 */
export async function scanStored(db: SidecaseDb, options: ScanOptions): Promise<ScanReport> {
  const size = options.chunkSize ?? SCAN_CHUNK;
  const yieldToPage = options.yieldToPage ?? nextTask;
  const total = (await db.cases.count()) + (await db.notes.count());
  let scanned = 0;
  const groups = new Map<string, ScanGroup>();
  const groupOf = (caseId: string | undefined) => {
    const key = caseId ?? '';
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { caseId, findings: [] }));
    return group;
  };
  const between = async () => {
    options.onProgress?.({ scanned, total });
    await yieldToPage();
    return !options.signal?.aborted;
  };
  if (options.signal?.aborted) return { scanned, total, groups: [], counts: {}, cancelled: true };
  options.onProgress?.({ scanned, total });

  let finished = await walk<Case>(db.cases, size, (cases) => {
    for (const record of cases) {
      const found = findInCase(record, options.mask);
      if (found.length > 0) Object.assign(groupOf(record.id), { caseNumber: record.number }).findings.push(...found);
    }
    scanned += cases.length;
  }, between);
  if (finished) finished = await between();
  if (finished) {
    finished = await walk<Note>(db.notes, size, (notes) => {
      for (const note of notes) {
        const found = findInNote(note, options.mask);
        if (found.length > 0) groupOf(note.caseId).findings.push(...found);
      }
      scanned += notes.length;
    }, between);
  }
  options.onProgress?.({ scanned, total: Math.max(total, scanned) });

  // Notes whose case had nothing of its own: their group needs the case's number.
  const unnamed = [...groups.values()].filter((g) => g.caseId && !g.caseNumber);
  const cases = await db.cases.bulkGet(unnamed.map((g) => g.caseId!));
  unnamed.forEach((group, i) => (group.caseNumber = cases[i]?.number));

  const list = [...groups.values()].sort((a, b) => (a.caseNumber ?? '\uffff').localeCompare(b.caseNumber ?? '\uffff'));
  return { scanned, total: Math.max(total, scanned), groups: list, counts: countByLabel(list.flatMap((g) => g.findings)), cancelled: !finished };
}
