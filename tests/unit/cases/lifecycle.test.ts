import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { addFollowUp, closeFollowUps, listFollowUps } from '../../../lib/cases/follow-ups';
import {
  FollowUpsOpenError,
  cancelCase,
  childCaseDefaults,
  createChildCase,
  isReadOnly,
  listChildCases,
  mergeCase,
  reassignCase,
  reopenCase,
  resolveCase,
  updateCase,
} from '../../../lib/cases/lifecycle';
import { listTimeline } from '../../../lib/cases/queries';
import type { SidecaseDb } from '../../../lib/db/db';
import { SidecaseError, ValidationError } from '../../../lib/errors';
import type { Case } from '../../../lib/schema';
import { caseInput, freshDb } from './helpers';

let db: SidecaseDb;
let now: number;
const ctx = (actor = 'Bea') => ({ actor, db, now: ++now });

beforeEach(() => {
  db = freshDb();
  now = 1_700_000_000_000;
});
afterEach(() => db.close());

async function newCase(title = 'Refund for order 1042', customer = {}): Promise<Case> {
  return (await createCase(caseInput({ title }, customer), ctx())).case;
}

async function errorOf(promise: Promise<unknown>): Promise<SidecaseError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SidecaseError);
  return error as SidecaseError;
}

const solved = { type: 'problemSolved', text: 'Refunded the second charge.' } as const;

async function outboxTypes(entityId: string) {
  return (await db.outbox.where('[entity+entityId]').equals(['case', entityId]).toArray()).map((e) => e.type);
}

describe('editing a case', () => {
  it('records each changed field, old and new, with actor and time, and one outbox entry', async () => {
    const c = await newCase();
    const after = await updateCase(c.id, { title: 'Refund twice', priority: 'urgent', statusReason: 'onHold' }, ctx('Cem'));
    expect(after).toMatchObject({ title: 'Refund twice', priority: 'urgent', statusReason: 'onHold', version: 2 });
    const events = await listTimeline(c.id, db);
    expect(events.filter((e) => e.kind === 'fieldChanged').map((e) => e.data)).toEqual(
      expect.arrayContaining([
        { field: 'title', from: 'Refund for order 1042', to: 'Refund twice' },
        { field: 'priority', from: 'normal', to: 'urgent' },
      ]),
    );
    expect(events.find((e) => e.kind === 'status')).toMatchObject({ actor: 'Cem', data: { from: 'inProgress', to: 'onHold' } });
    expect(await outboxTypes(c.id)).toEqual(['case.created', 'case.updated']);
  });

  it('moves the SLA deadlines when the priority changes', async () => {
    const c = await newCase();
    const after = await updateCase(c.id, { priority: 'urgent' }, ctx());
    expect(after.sla?.resolveBy).toBe(c.createdAt + 4 * 3_600_000);
    expect(after.sla!.resolveBy).toBeLessThan(c.sla!.resolveBy);
  });

  it('writes nothing when nothing changed', async () => {
    const c = await newCase();
    const after = await updateCase(c.id, { title: '  Refund for order 1042 ' }, ctx());
    expect(after.version).toBe(1);
    expect(await outboxTypes(c.id)).toEqual(['case.created']);
  });

  it('keeps tag keys in step with the tags', async () => {
    const c = await newCase();
    const after = await updateCase(c.id, { tags: ['VIP'] }, ctx());
    expect(after.tagKeys).toEqual(['vip']);
  });

  it('refuses to resolve a case by editing its status', async () => {
    const c = await newCase();
    expect((await errorOf(updateCase(c.id, { state: 'resolved' }, ctx()))).key).toBe('case.resolve.notByEdit');
    expect((await errorOf(updateCase(c.id, { statusReason: 'problemSolved' as never }, ctx()))).key).toBe('case.resolve.notByEdit');
    expect((await errorOf(updateCase(c.id, { state: 'cancelled' }, ctx()))).key).toBe('case.state.notByEdit');
    expect((await db.cases.get(c.id))?.state).toBe('active');
  });

  it('refuses fields that have their own transition', async () => {
    const c = await newCase();
    const error = await errorOf(updateCase(c.id, { owner: 'Cem' }, ctx()));
    expect(error).toMatchObject({ key: 'case.edit.notEditable', path: 'owner' });
  });

  it('refuses invalid values with the form’s message keys', async () => {
    const c = await newCase();
    const error = await errorOf(updateCase(c.id, { title: '', tags: ['a', 'A'] }, ctx()));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields).toEqual({ title: 'form.title.required', tags: 'form.tags.duplicate' });
  });

  it('refuses an edit made on an older version', async () => {
    const c = await newCase();
    await updateCase(c.id, { title: 'First edit' }, ctx());
    expect((await errorOf(updateCase(c.id, { title: 'Second edit' }, { ...ctx(), expectedVersion: 1 }))).key).toBe('case.edit.stale');
  });

  it('says when the case does not exist', async () => {
    expect((await errorOf(updateCase('01J0000000000000000000000A', { title: 'x' }, ctx()))).key).toBe('case.notFound');
  });
});

describe('resolving a case', () => {
  it('needs a resolution type', async () => {
    const c = await newCase();
    expect(await errorOf(resolveCase(c.id, { text: 'done' } as never, ctx()))).toMatchObject({ key: 'case.resolve.needsType', path: 'type' });
    expect((await errorOf(resolveCase(c.id, { type: 'fixed' as never, text: 'done' }, ctx()))).key).toBe('case.resolve.needsType');
  });

  it('needs a resolution text', async () => {
    const c = await newCase();
    expect((await errorOf(resolveCase(c.id, { type: 'other', text: '   ' }, ctx()))).key).toBe('case.resolve.needsText');
    expect((await errorOf(resolveCase(c.id, { type: 'other', text: 'x'.repeat(2001) }, ctx()))).key).toBe('case.resolve.textTooLong');
    expect((await db.cases.get(c.id))?.state).toBe('active');
  });

  it('resolves with type, text, time and agent, on the timeline and in the outbox', async () => {
    const c = await newCase();
    const resolved = await resolveCase(c.id, solved, ctx('Cem'));
    expect(resolved).toMatchObject({ state: 'resolved', statusReason: 'problemSolved', resolution: { ...solved, by: 'Cem' } });
    expect(isReadOnly(resolved)).toBe(true);
    expect((await listTimeline(c.id, db))[0]).toMatchObject({ kind: 'resolved', actor: 'Cem', data: { type: 'problemSolved' } });
    expect(await outboxTypes(c.id)).toContain('case.resolved');
  });

  it('makes the case read-only: no edit, no second resolve, no cancel, no reassign, no follow-up', async () => {
    const c = await newCase();
    await resolveCase(c.id, solved, ctx());
    // One after the other: started together, the later refusals would reject
    // before anything awaited them (an edit now masks its text first).
    for (const attempt of [
      () => updateCase(c.id, { title: 'Changed' }, ctx()),
      () => resolveCase(c.id, solved, ctx()),
      () => cancelCase(c.id, ctx()),
      () => reassignCase(c.id, { owner: 'Cem' }, ctx()),
      () => addFollowUp(c.id, { title: 'Call back', dueAt: now + 1 }, ctx()),
    ]) {
      expect((await errorOf(attempt())).key).toBe('case.readOnly');
    }
    expect((await db.cases.get(c.id))?.title).toBe('Refund for order 1042');
  });

  it('keeps the resolution history across reopening and resolving again', async () => {
    const c = await newCase();
    await resolveCase(c.id, solved, ctx());
    const reopened = await reopenCase(c.id, ctx());
    expect(reopened).toMatchObject({ state: 'active', statusReason: 'inProgress', resolution: undefined });
    expect(reopened.resolutions).toHaveLength(1);
    const again = await resolveCase(c.id, { type: 'informationProvided', text: 'Sent the form.' }, ctx());
    expect(again.resolutions?.map((r) => r.type)).toEqual(['problemSolved', 'informationProvided']);
    expect((await listTimeline(c.id, db)).map((e) => e.kind).slice(0, 3)).toEqual(['resolved', 'reopened', 'resolved']);
  });

  it('is blocked by open follow-ups, which the error lists and closeFollowUps closes', async () => {
    const c = await newCase();
    const task = await addFollowUp(c.id, { title: 'Call the bank', dueAt: now + 86_400_000 }, ctx());
    const error = await errorOf(resolveCase(c.id, solved, ctx()));
    expect(error).toBeInstanceOf(FollowUpsOpenError);
    expect(error.key).toBe('case.followUps.open');
    expect((error as FollowUpsOpenError).followUps.map((f) => f.id)).toEqual([task.id]);
    expect((await errorOf(cancelCase(c.id, ctx()))).key).toBe('case.followUps.open');

    await closeFollowUps((error as FollowUpsOpenError).followUps.map((f) => f.id), ctx());
    expect((await listFollowUps(c.id, db))[0]).toMatchObject({ done: true, doneBy: 'Bea' });
    expect((await resolveCase(c.id, solved, ctx())).state).toBe('resolved');
  });
});

describe('closing open follow-ups, then acting (the dialogs\' offer)', () => {
  it('closes the open follow-ups and resolves, in one call', async () => {
    const c = await newCase();
    const task = await addFollowUp(c.id, { title: 'Call the bank', dueAt: now + 86_400_000 }, ctx());
    const resolved = await resolveCase(c.id, solved, { ...ctx('Cem'), closeFollowUps: true });
    expect(resolved).toMatchObject({ state: 'resolved', statusReason: 'problemSolved', version: 4 });
    expect(await listFollowUps(c.id, db)).toMatchObject([{ id: task.id, done: true, doneBy: 'Cem' }]);
    expect(await outboxTypes(c.id)).toEqual(['case.created', 'case.updated', 'case.updated', 'case.resolved']);
    const events = (await listTimeline(c.id, db)).map((e) => [e.kind, (e.data as { action?: string }).action]);
    expect(events).toEqual(expect.arrayContaining([['followUp', 'completed'], ['resolved', undefined]]));
  });

  it('closes them and cancels, or closes them and merges', async () => {
    const a = await newCase('A');
    const b = await newCase('B');
    const target = await newCase('Target');
    await addFollowUp(a.id, { title: 'Ship part', dueAt: now + 1 }, ctx());
    await addFollowUp(b.id, { title: 'Ship part', dueAt: now + 1 }, ctx());
    expect((await cancelCase(a.id, { ...ctx(), closeFollowUps: true })).state).toBe('cancelled');
    expect((await mergeCase(b.id, target.id, { ...ctx(), closeFollowUps: true })).source.statusReason).toBe('merged');
    expect((await db.followUps.toArray()).map((f) => f.done)).toEqual([true, true]);
  });

  it('under cascade, closes the children’s follow-ups too', async () => {
    const parent = await newCase('Parent');
    const child = (await createChildCase(parent.id, { ...caseInput({ title: 'Child' }), customer: undefined }, ctx())).case;
    await addFollowUp(child.id, { title: 'Ship part', dueAt: now + 1 }, ctx());
    await resolveCase(parent.id, solved, { ...ctx(), policy: 'cascade', closeFollowUps: true });
    expect((await db.cases.get(child.id))?.state).toBe('resolved');
    expect((await listFollowUps(child.id, db))[0]?.done).toBe(true);
  });

  it('closes nothing when the transition then fails: both are one transaction', async () => {
    const c = await newCase();
    await addFollowUp(c.id, { title: 'Call the bank', dueAt: now + 86_400_000 }, ctx());
    db.timeline.hook('creating', (_key, event) => {
      if (event.kind === 'resolved') throw new Error('disk full');
    });
    await expect(resolveCase(c.id, solved, { ...ctx(), closeFollowUps: true })).rejects.toThrow('disk full');
    expect((await listFollowUps(c.id, db))[0]?.done).toBe(false);
    expect(await db.cases.get(c.id)).toMatchObject({ state: 'active', version: 2 });
  });
});

describe('parent and child cases', () => {
  async function family() {
    const parent = await newCase('Parent');
    const child = (await createChildCase(parent.id, { ...caseInput({ title: 'Child' }), customer: undefined }, ctx())).case;
    const grandchild = (await createChildCase(child.id, { ...caseInput({ title: 'Grandchild' }), customer: undefined }, ctx())).case;
    return { parent, child, grandchild };
  }

  it('gives a new child case the parent’s customer and records it on the parent', async () => {
    const { parent, child } = await family();
    expect(child).toMatchObject({ parentId: parent.id, customerId: parent.customerId });
    expect((await listChildCases(parent.id, db)).map((c) => c.id)).toEqual([child.id]);
    expect((await listTimeline(parent.id, db)).find((e) => e.kind === 'child')).toMatchObject({ data: { childId: child.id } });
    expect(await childCaseDefaults(parent.id, db)).toMatchObject({
      parentId: parent.id,
      customer: { id: parent.customerId, name: 'Ana Kovács', email: 'ana@northwind.example' },
    });
  });

  it('refuses a child of a closed case', async () => {
    const parent = await newCase('Parent');
    await cancelCase(parent.id, ctx());
    expect((await errorOf(createChildCase(parent.id, caseInput({ title: 'Child' }), ctx()))).key).toBe('case.readOnly');
    expect(await db.cases.count()).toBe(1);
  });

  it('resolves parent and children independently by default', async () => {
    const { parent, child } = await family();
    await resolveCase(parent.id, solved, ctx());
    expect((await db.cases.get(child.id))?.state).toBe('active');
  });

  it('resolves the active children and grandchildren with the parent under the cascade policy', async () => {
    const { parent, child, grandchild } = await family();
    await resolveCase(parent.id, solved, { ...ctx(), policy: 'cascade' });
    for (const id of [child.id, grandchild.id]) {
      expect(await db.cases.get(id)).toMatchObject({ state: 'resolved', resolution: { type: 'problemSolved' } });
      expect((await listTimeline(id, db))[0]).toMatchObject({ kind: 'resolved', data: { viaParent: parent.id } });
    }
  });

  it('under cascade, a child’s open follow-up blocks the whole resolve', async () => {
    const { parent, child } = await family();
    await addFollowUp(child.id, { title: 'Ship part', dueAt: now + 1 }, ctx());
    expect((await errorOf(resolveCase(parent.id, solved, { ...ctx(), policy: 'cascade' }))).key).toBe('case.followUps.open');
    expect((await db.cases.get(parent.id))?.state).toBe('active');
  });

  it('refuses to resolve the parent while a child is active under the children-first policy', async () => {
    const { parent, child, grandchild } = await family();
    const policy = 'requireChildrenResolved' as const;
    expect((await errorOf(resolveCase(parent.id, solved, { ...ctx(), policy }))).key).toBe('case.resolve.childrenOpen');
    await resolveCase(grandchild.id, solved, ctx());
    await resolveCase(child.id, solved, { ...ctx(), policy });
    expect((await resolveCase(parent.id, solved, { ...ctx(), policy })).state).toBe('resolved');
  });
});

describe('cancelling, reopening and reassigning', () => {
  it('cancels an active case with the reason "cancelled"', async () => {
    const c = await newCase();
    const cancelled = await cancelCase(c.id, ctx());
    expect(cancelled).toMatchObject({ state: 'cancelled', statusReason: 'cancelled' });
    expect((await listTimeline(c.id, db))[0]?.kind).toBe('cancelled');
    expect(await outboxTypes(c.id)).toContain('case.cancelled');
  });

  it('reopens a cancelled case, and refuses to reopen an active one', async () => {
    const c = await newCase();
    expect((await errorOf(reopenCase(c.id, ctx()))).key).toBe('case.reopen.notClosed');
    await cancelCase(c.id, ctx());
    expect((await reopenCase(c.id, ctx())).state).toBe('active');
    expect(await outboxTypes(c.id)).toContain('case.reopened');
  });

  it('reassigns to another agent and team, recording both', async () => {
    const c = await newCase();
    const after = await reassignCase(c.id, { owner: 'Cem', team: 'Billing' }, ctx('Bea'));
    expect(after).toMatchObject({ owner: 'Cem', team: 'Billing' });
    expect((await listTimeline(c.id, db))[0]).toMatchObject({
      kind: 'owner',
      actor: 'Bea',
      data: { from: { owner: 'Bea', team: null }, to: { owner: 'Cem', team: 'Billing' } },
    });
    expect(await outboxTypes(c.id)).toContain('case.reassigned');
  });

  it('refuses a reassignment to nobody', async () => {
    const c = await newCase();
    expect((await errorOf(reassignCase(c.id, { owner: ' ' }, ctx()))).key).toBe('case.reassign.ownerRequired');
    expect((await errorOf(reassignCase(c.id, {}, ctx()))).key).toBe('case.reassign.nothing');
  });
});

describe('merging cases', () => {
  async function withNotesAndFiles(c: Case) {
    const now2 = ++now;
    await db.notes.add({ id: `01J00000000000000000000${String(now2 % 1000).padStart(3, '0')}`, caseId: c.id, body: 'chargeback', format: 'text', author: 'Bea', createdAt: now2, updatedAt: now2, version: 1, words: ['chargeback'] });
    await db.attachments.add({ id: `01J10000000000000000000${String(now2 % 1000).padStart(3, '0')}`, caseId: c.id, blob: new Blob(['x']), name: 'invoice.pdf', type: 'application/pdf', size: 1, source: 'upload', uploadedBy: 'Bea', uploadedAt: now2 });
  }

  it('moves the notes and attachments to the target, cancels the source as merged and says so on both timelines', async () => {
    const source = await newCase('Duplicate');
    const target = await newCase('Original');
    await withNotesAndFiles(source);
    const result = await mergeCase(source.id, target.id, ctx());

    expect(await db.cases.get(source.id)).toMatchObject({ state: 'cancelled', statusReason: 'merged', mergedIntoId: target.id });
    expect(await db.notes.where('caseId').equals(source.id).count()).toBe(0);
    expect(await db.attachments.where('caseId').equals(source.id).count()).toBe(0);
    expect(await db.notes.where('caseId').equals(target.id).count()).toBe(1);
    expect(await db.attachments.where('caseId').equals(target.id).count()).toBe(1);
    expect(result.movedNoteIds).toHaveLength(1);
    expect((await listTimeline(source.id, db))[0]).toMatchObject({ kind: 'merged', data: { direction: 'into', caseId: target.id, notes: 1, attachments: 1 } });
    expect((await listTimeline(target.id, db))[0]).toMatchObject({ kind: 'merged', data: { direction: 'from', caseId: source.id, number: source.number } });
    expect(await outboxTypes(source.id)).toContain('case.merged');
    const moves = (await db.outbox.toArray()).filter((e) => e.type === 'note.updated' || e.type === 'attachment.updated');
    expect(moves.map((e) => [e.type, e.data.caseId])).toEqual([
      ['note.updated', target.id],
      ['attachment.updated', target.id],
    ]);
    expect(moves[1]?.data).not.toHaveProperty('blob');
  });

  it('refuses to merge a case into itself', async () => {
    const c = await newCase();
    expect((await errorOf(mergeCase(c.id, c.id, ctx()))).key).toBe('case.merge.self');
  });

  it('refuses to merge into a resolved or cancelled case', async () => {
    const source = await newCase('Duplicate');
    const target = await newCase('Original');
    await resolveCase(target.id, solved, ctx());
    expect((await errorOf(mergeCase(source.id, target.id, ctx()))).key).toBe('case.merge.targetClosed');
    expect((await db.cases.get(source.id))?.state).toBe('active');
  });

  it('refuses to merge a closed case, or into a case that does not exist', async () => {
    const source = await newCase('Duplicate');
    const target = await newCase('Original');
    expect((await errorOf(mergeCase(source.id, '01J0000000000000000000000A', ctx()))).key).toBe('case.merge.targetNotFound');
    await cancelCase(source.id, ctx());
    expect((await errorOf(mergeCase(source.id, target.id, ctx()))).key).toBe('case.readOnly');
  });

  it('refuses to reopen a merged case', async () => {
    const source = await newCase('Duplicate');
    const target = await newCase('Original');
    await mergeCase(source.id, target.id, ctx());
    expect((await errorOf(reopenCase(source.id, ctx()))).key).toBe('case.reopen.merged');
  });

  it('leaves both cases untouched when the merge fails half way', async () => {
    const source = await newCase('Duplicate');
    const target = await newCase('Original');
    await withNotesAndFiles(source);
    db.timeline.hook('creating', (_k, e) => {
      if (e.kind === 'merged') throw new Error('disk error');
    });
    await expect(mergeCase(source.id, target.id, ctx())).rejects.toThrow('disk error');
    expect((await db.cases.get(source.id))?.state).toBe('active');
    expect(await db.notes.where('caseId').equals(source.id).count()).toBe(1);
    expect(await db.attachments.where('caseId').equals(source.id).count()).toBe(1);
  });
});

describe('follow-ups', () => {
  it('needs a title and a due date', async () => {
    const c = await newCase();
    expect((await errorOf(addFollowUp(c.id, { title: ' ', dueAt: now }, ctx()))).key).toBe('case.followUp.titleRequired');
    expect((await errorOf(addFollowUp(c.id, { title: 'Call', dueAt: undefined } as never, ctx()))).key).toBe('case.followUp.dueRequired');
  });

  it('lists open follow-ups first, soonest due first, and records them on the timeline', async () => {
    const c = await newCase();
    const later = await addFollowUp(c.id, { title: 'Later', dueAt: now + 2_000 }, ctx());
    const sooner = await addFollowUp(c.id, { title: 'Sooner', dueAt: now + 1_000 }, ctx());
    const done = await addFollowUp(c.id, { title: 'Done', dueAt: now + 500 }, ctx());
    await closeFollowUps([done.id], ctx());
    expect((await listFollowUps(c.id, db)).map((f) => f.id)).toEqual([sooner.id, later.id, done.id]);
    expect((await listTimeline(c.id, db))[0]).toMatchObject({ kind: 'followUp', data: { action: 'completed', title: 'Done' } });
    const withFollowUps = (await db.outbox.toArray()).filter((e) => e.type === 'case.updated').pop();
    expect((withFollowUps?.data as { followUps: unknown[] }).followUps).toHaveLength(3);
  });
});
