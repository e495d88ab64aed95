/**
 * createCase: the one way a case comes into being.
 *
 * Validates the agent's input with the same zod schema the form uses, then in
 * ONE read-write transaction: finds or creates the customer, draws the case
 * number, writes the case, its "created" timeline event and its outbox entry.
 * A failure anywhere rolls back all of it: no case without its timeline, no
 * change that sync would never see.
 *
 * Notes typed while the case was being created (issue 5) go with it in the same
 * transaction; they arrive prepared (sanitized) by lib/notes/prepare.ts, so this
 * file, loaded by the quick-create form, never pulls in DOMPurify.
 */
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { appendOutbox, appendTimeline } from '../db/changes';
import { ValidationError, fieldErrorsOf } from '../errors';
import { newId } from '../ids';
import { Case, CaseInput, type CaseInputRaw, type Customer, type Note } from '../schema';
import { upsertCustomerForCase } from '../customers/upsert';
import type { PreparedNote } from '../notes/prepare';
import { newNoteRecord } from '../notes/record';
import { keptEventData, redactFields, redactNote, type RedactionChoice } from '../redaction/apply';
import { mergeNoteWords } from '../search/words';
import { nextCaseNumber } from './numbering';
import { caseSettingsSnapshot } from './case-settings';
import { deriveCaseFields } from './derive';
import { slaDeadlines, type SlaTargets } from './sla';

export interface WriteContext {
  /** Who does it: the agent's name from the options. */
  actor: string;
  now?: number;
  db?: SidecaseDb;
  /** SLA targets from the options; when absent, the ones last read in this context (defaults before). */
  slaTargets?: SlaTargets;
}

export interface CreateCaseExtras extends RedactionChoice {
  /** Notes written in the form before the case existed (from `prepareNote`). */
  notes?: readonly PreparedNote[];
  /** The team the new case is assigned to. */
  team?: string;
}

export interface CreatedCase {
  case: Case;
  customer: Customer;
  isNewCustomer: boolean;
  notes: Note[];
}

/** Parse the agent's input, throwing a ValidationError with one message key per field. */
export function validateCaseInput(raw: CaseInputRaw): CaseInput {
  const parsed = CaseInput.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  return parsed.data;
}

/** A case's input and notes with card numbers, IBANs, secrets and ids masked (lib/redaction). */
export interface MaskedCaseInput {
  raw: CaseInputRaw;
  notes: Array<Awaited<ReturnType<typeof redactNote>>>;
  kept: Awaited<ReturnType<typeof redactFields>>['kept'];
}

/**
 * Masks what a new case would store, before any transaction: the detectors
 * load lazily, and awaiting them inside a transaction would let it commit
 * (createChildCase masks first, then opens its own).
 */
export async function maskCaseInput(raw: CaseInputRaw, extras: CreateCaseExtras = {}): Promise<MaskedCaseInput> {
  const { fields, kept } = await redactFields({ title: raw.title, subject: raw.subject, description: raw.description }, extras);
  const notes = await Promise.all((extras.notes ?? []).map((note) => redactNote(note, extras)));
  return { raw: { ...raw, ...fields }, notes, kept };
}

export async function createCase(raw: CaseInputRaw, ctx: WriteContext, extras: CreateCaseExtras = {}): Promise<CreatedCase> {
  // Card numbers, IBANs, secrets and ids are masked before the case is
  // validated, stored or queued: the record and the outbox never hold them,
  // only what the agent deliberately kept (extras.keepUnmasked).
  return createMaskedCase(await maskCaseInput(raw, extras), ctx, extras);
}

/** createCase after maskCaseInput: may run inside a caller's transaction (no await outside IndexedDB). */
export async function createMaskedCase(masked: MaskedCaseInput, ctx: WriteContext, extras: CreateCaseExtras = {}): Promise<CreatedCase> {
  const { notes, kept } = masked;
  const input = validateCaseInput(masked.raw);
  const db = ctx.db ?? defaultDb;
  const now = ctx.now ?? Date.now();
  const sla = slaDeadlines(input.priority, now, ctx.slaTargets ?? caseSettingsSnapshot().sla);
  return db.transaction('rw', [db.cases, db.customers, db.timeline, db.outbox, db.meta, db.notes], async () => {
    // The customer and the case number touch different tables: draw both at
    // once (Save is on the agent's hot path; each await is a round trip).
    const [{ customer, isNew, written: customerWritten }, { number, written: numberWritten }] = await Promise.all([
      upsertCustomerForCase(db, input.customer, { actor: ctx.actor, now }),
      nextCaseNumber(db),
    ]);
    const record = Case.parse({
      id: newId(now),
      number,
      title: input.title,
      customerId: customer.id,
      subject: input.subject,
      origin: input.origin,
      product: input.product,
      priority: input.priority,
      state: 'active',
      statusReason: 'inProgress',
      owner: ctx.actor,
      team: extras.team || undefined,
      tags: input.tags,
      description: input.description,
      parentId: input.parentId,
      source: input.source ?? { kind: 'manual' },
      createdAt: now,
      updatedAt: now,
      version: 1,
      resolutions: [],
      sla,
      ...deriveCaseFields({ number, title: input.title, tags: input.tags, sla, source: input.source }, customer),
      noteWords: mergeNoteWords(notes.map((n) => n.note.words)),
    } satisfies Case);
    // Everything this save writes is issued before the one await below.
    const writes: Array<Promise<unknown>> = [customerWritten, numberWritten, db.cases.add(record)];
    writes.push(appendTimeline(db, {
      caseId: record.id,
      customerId: customer.id,
      kind: 'created',
      actor: ctx.actor,
      at: now,
      data: { number, title: record.title, priority: record.priority, origin: record.origin },
    }));
    writes.push(appendOutbox(db, { entity: 'case', entityId: record.id, type: 'case.created', at: now, data: record }));
    for (const data of keptEventData([...kept, ...notes.flatMap((n) => n.kept)])) {
      writes.push(appendTimeline(db, { caseId: record.id, customerId: customer.id, kind: 'redaction', actor: ctx.actor, at: now, data }));
    }
    const storedNotes: Note[] = [];
    for (const { note: prepared } of notes) {
      const note = newNoteRecord(prepared, { caseId: record.id, author: ctx.actor, now });
      writes.push(
        db.notes.add(note),
        appendTimeline(db, { caseId: record.id, kind: 'note', actor: ctx.actor, at: now, data: { action: 'added', noteId: note.id } }),
        appendOutbox(db, { entity: 'note', entityId: note.id, type: 'note.added', at: now, data: note }),
      );
      storedNotes.push(note);
    }
    await Promise.all(writes);
    return { case: record, customer, isNewCustomer: isNew, notes: storedNotes };
  });
}
