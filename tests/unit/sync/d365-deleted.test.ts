/**
 * An incident deleted in Dynamics 365: the pull's `$deletedEntity` row (or a
 * change answered "Does Not Exist") marks its case, nothing local is lost,
 * the case's changes are held, and "Re-create in Dynamics 365" sends it again
 * as a new incident with its notes. Against the Dataverse simulator.
 */
import { describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { updateCase } from '../../../lib/cases/edit';
import type { SidecaseDb } from '../../../lib/db/db';
import { addNote } from '../../../lib/notes/notes';
import { DELETED_IN_D365, recreateIncident } from '../../../lib/sync/dynamics365/deleted';
import { guidOf } from '../../../lib/sync/dynamics365/guid';
import { drainOutbox } from '../../../lib/sync/engine';
import { pullChanges } from '../../../lib/sync/pull';
import { recordSyncStatus } from '../../../lib/sync/status';
import type { Dynamics365Settings } from '../../../lib/sync/settings';
import { caseInput, freshDb } from '../cases/helpers';
import { ctx, dataverseSimulators, signedIn } from './d365-support';

const simulator = dataverseSimulators();

async function setUp(options: Parameters<typeof simulator>[0] = {}) {
  const sim = await simulator(options);
  const db = freshDb();
  return { sim, db, settings: await signedIn(sim, db) };
}

async function drainAll(db: SidecaseDb, settings: Dynamics365Settings, rounds = 10) {
  let clock = Date.now();
  for (let i = 0; i < rounds && (await db.outbox.where('nextAttemptAt').below(Number.MAX_SAFE_INTEGER).count()) > 0; i++) {
    await drainOutbox({ db, settings, now: () => clock, random: () => 0, timeoutMs: 5000 });
    clock += 10 * 60_000;
  }
}

describe('an incident deleted in Dynamics 365', () => {
  it('marks its case from the pull, keeps everything local, holds its changes, and re-creates it on request', async () => {
    const { sim, db, settings } = await setUp();
    const { case: created } = await createCase(caseInput({ title: 'Printer jams' }), ctx(db));
    await addNote(created.id, { body: 'Tried a new drum.', format: 'text' }, ctx(db));
    await drainAll(db, settings);
    expect((await pullChanges({ db, settings })).error).toBeUndefined();
    expect(sim.rows('annotations')).toHaveLength(1);

    sim.externalDelete('incidents', guidOf(created.id));
    await pullChanges({ db, settings });
    expect(await recordSyncStatus('case', created.id, db)).toMatchObject({ status: 'error', error: DELETED_IN_D365 });
    // Nothing the agent typed is gone.
    expect(await db.cases.get(created.id)).toMatchObject({ title: 'Printer jams' });
    expect(await db.notes.where('caseId').equals(created.id).count()).toBe(1);

    // A later edit is held, not sent: no request reaches the incident.
    const before = sim.requests().length;
    await updateCase(created.id, { title: 'Printer jams, tray 2' }, ctx(db));
    await drainAll(db, settings);
    expect(sim.requests().slice(before).filter((r) => r.path.includes('incidents('))).toHaveLength(0);
    const held = await db.outbox.where('[entity+entityId]').equals(['case', created.id]).toArray();
    expect(held).toHaveLength(1);
    expect(await recordSyncStatus('case', created.id, db)).toMatchObject({ error: DELETED_IN_D365 });

    // Re-create: one new incident with the case's id and its current title, its note again.
    expect(await recreateIncident(created.id, { db })).toBe(true);
    await drainAll(db, settings);
    expect(await db.outbox.count()).toBe(0);
    const incidents = sim.rows('incidents');
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ incidentid: guidOf(created.id), title: 'Printer jams, tray 2' });
    expect(sim.rows('annotations').filter((row) => row.notetext === 'Tried a new drum.')).toHaveLength(1);
    expect(await recordSyncStatus('case', created.id, db)).toMatchObject({ status: 'synced' });
    // Re-creating a case that is not marked does nothing.
    expect(await recreateIncident(created.id, { db })).toBe(false);
  });

  it('marks the case when a change meets "Does Not Exist" (change tracking off)', async () => {
    const { sim, db, settings } = await setUp({ changeTracking: false });
    const { case: created } = await createCase(caseInput(), ctx(db));
    await drainAll(db, settings);
    sim.externalDelete('incidents', guidOf(created.id));
    await updateCase(created.id, { title: 'Edited after the delete' }, ctx(db));
    await drainAll(db, settings);
    expect(await recordSyncStatus('case', created.id, db)).toMatchObject({ status: 'error', error: DELETED_IN_D365 });
    expect(sim.rows('incidents')).toHaveLength(0);
  });

  it('holds a note of the case in the same drain once an edit met "Does Not Exist"', async () => {
    const { sim, db, settings } = await setUp({ changeTracking: false });
    const { case: created } = await createCase(caseInput(), ctx(db));
    await drainAll(db, settings);
    sim.externalDelete('incidents', guidOf(created.id));
    await updateCase(created.id, { title: 'Edited after the delete' }, ctx(db));
    const note = await addNote(created.id, { body: 'Written after the delete.', format: 'text' }, ctx(db));
    const before = sim.requests().length;
    // One drain: the note runs after its case's lane, which met the deletion.
    await drainOutbox({ db, settings, random: () => 0, timeoutMs: 5000 });
    expect(sim.requests().slice(before).filter((r) => r.path.startsWith('/annotations'))).toHaveLength(0);
    const held = await db.outbox.where('[entity+entityId]').equals(['note', note.id]).toArray();
    expect(held).toMatchObject([{ lastError: DELETED_IN_D365 }]);
    expect(await db.notes.get(note.id)).toMatchObject({ body: 'Written after the delete.' });
  });

  it('changes nothing for a deleted incident that is not ours', async () => {
    const { sim, db, settings } = await setUp();
    const { case: created } = await createCase(caseInput(), ctx(db));
    await drainAll(db, settings);
    await pullChanges({ db, settings });
    sim.externalUpdate('incidents', '44444444-4444-4444-8444-444444444444', { title: 'Not ours' });
    sim.externalDelete('incidents', '44444444-4444-4444-8444-444444444444');
    await pullChanges({ db, settings });
    expect(await recordSyncStatus('case', created.id, db)).toMatchObject({ status: 'synced' });
  });
});
