/**
 * The Dynamics 365 adapter through the real sync engine, against the
 * Dataverse simulator on 127.0.0.1 (tests/support/dataverse-simulator.ts),
 * signed in through the simulated authority, over Node's fetch.
 */
import { describe, expect, it } from 'vitest';
import { addAttachments } from '../../../lib/attachments/attachments';
import { createCase } from '../../../lib/cases/create';
import { reassignCase } from '../../../lib/cases/reassign';
import { reopenCase } from '../../../lib/cases/reopen';
import { resolveCase } from '../../../lib/cases/resolve';
import { cancelCase } from '../../../lib/cases/cancel';
import { addNote } from '../../../lib/notes/notes';
import { guidOf } from '../../../lib/sync/dynamics365/guid';
import { tokenKeyOf } from '../../../lib/sync/dynamics365/client';
import { signInStateOf } from '../../../lib/sync/oauth';
import { pullChanges } from '../../../lib/sync/pull';
import type { Fault } from '../../support/dataverse-simulator';
import { drainOutbox } from '../../../lib/sync/engine';
import { caseInput, freshDb } from '../cases/helpers';
import { ctx, dataverseSimulators, drainAll, signedIn } from './d365-support';

const simulator = dataverseSimulators();


describe('Dynamics 365 sync', () => {
  it('creates one incident, one contact, two annotations and one resolution for a case with a note and a file', async () => {
    const sim = await simulator();
    const db = freshDb();
    const settings = await signedIn(sim, db);
    const { case: created } = await createCase(caseInput({ priority: 'urgent', origin: 'phone', tags: ['vip', 'refund'] }), ctx(db));
    await addNote(created.id, { body: 'Called back, sent the label.', format: 'text' }, ctx(db));
    const file = Object.assign(new Blob(['%PDF-1.4 label'], { type: 'application/pdf' }), { name: 'label.pdf' });
    await addAttachments(created.id, [file], { db, uploadedBy: 'agent@contoso.example' });
    await resolveCase(created.id, { type: 'informationProvided', text: 'Label sent.' }, ctx(db));
    await drainAll(db, settings);

    expect(await db.outbox.count()).toBe(0);
    const [incident] = sim.rows('incidents');
    expect(sim.rows('incidents')).toHaveLength(1);
    expect(incident).toMatchObject({
      incidentid: guidOf(created.id),
      title: 'Refund for order 1042',
      prioritycode: 1,
      caseorigincode: 1,
      statecode: 1,
      statuscode: 1000,
    });
    expect(String(incident!.description)).toContain('Tags: vip, refund');
    const [contact] = sim.rows('contacts');
    expect(sim.rows('contacts')).toHaveLength(1);
    expect(contact).toMatchObject({ firstname: 'Ana', lastname: 'Kovács', emailaddress1: 'ana@northwind.example', telephone1: '+36 20 123 4567' });
    expect(incident!._customerid_contact_value).toBe(contact!.contactid);
    expect(sim.rows('accounts').map((a) => a.name)).toEqual(['Northwind']);
    expect(contact!._parentcustomerid_account_value).toBe(sim.rows('accounts')[0]!.accountid);
    const annotations = sim.rows('annotations');
    expect(annotations).toHaveLength(2);
    expect(annotations.map((a) => a._objectid_incident_value)).toEqual([incident!.incidentid, incident!.incidentid]);
    expect(annotations.find((a) => a.isdocument)).toMatchObject({ filename: 'label.pdf', mimetype: 'application/pdf', documentbody: btoa('%PDF-1.4 label') });
    expect(sim.rows('incidentresolutions')).toHaveLength(1);
    expect(sim.rows('incidentresolutions')[0]).toMatchObject({ description: 'Label sent.', _incidentid_value: incident!.incidentid });
  });

  it('finds an existing contact by email, else by phone, instead of creating another', async () => {
    const sim = await simulator();
    const db = freshDb();
    const settings = await signedIn(sim, db);
    sim.externalUpdate('contacts', '11111111-1111-4111-8111-111111111111', { lastname: 'Known', emailaddress1: 'ana@northwind.example' });
    sim.externalUpdate('contacts', '22222222-2222-4222-8222-222222222222', { lastname: 'Phone', telephone1: '+40 721 000 111' });
    await createCase(caseInput(), ctx(db));
    await createCase(caseInput({ title: 'By phone' }, { name: 'Ion', email: '', phone: '+40 721 000 111', company: '' }), ctx(db));
    await drainAll(db, settings);
    expect(sim.rows('contacts')).toHaveLength(2);
    expect(sim.rows('incidents').map((i) => i._customerid_contact_value).sort()).toEqual([
      '11111111-1111-4111-8111-111111111111',
      '22222222-2222-4222-8222-222222222222',
    ]);
  });

  it('applies each change exactly once through 30 % faults: 429 and 503 with Retry-After, and dropped answers', async () => {
    let n = 0;
    const sim = await simulator({
      faults: (request) => {
        n += 1;
        if (request.method === 'GET') return undefined;
        const roll = (n * 7919) % 100;
        if (roll < 10) return { kind: 'status', status: 429, retryAfter: '1' } satisfies Fault;
        if (roll < 20) return { kind: 'status', status: 503, retryAfter: '1' } satisfies Fault;
        if (roll < 30) return { kind: 'dropAfterCommit' } satisfies Fault;
        return undefined;
      },
    });
    const db = freshDb();
    const settings = await signedIn(sim, db);
    const ids: string[] = [];
    // 100 cases, each with 2 notes, resolved, reopened, reassigned: 500 changes and more.
    for (let i = 0; i < 100; i++) {
      const { case: created } = await createCase(caseInput({ title: `Case ${i}` }, { email: `c${i}@example.org`, phone: '', company: '' }), ctx(db));
      ids.push(created.id);
      await addNote(created.id, { body: `First note ${i}`, format: 'text' }, ctx(db));
      await addNote(created.id, { body: `Second note ${i}`, format: 'text' }, ctx(db));
    }
    for (const id of ids.slice(0, 50)) await resolveCase(id, { type: 'problemSolved', text: 'Done.' }, ctx(db));
    for (const id of ids.slice(50)) await cancelCase(id, ctx(db));
    const changes = await db.outbox.count();
    expect(changes).toBeGreaterThanOrEqual(500);
    await drainAll(db, settings, 60);

    const left = await db.outbox.toArray();
    expect(left.map((entry) => `${entry.type} ${entry.lastError}`)).toEqual([]);
    expect(sim.rows('incidents')).toHaveLength(100);
    expect(sim.rows('contacts')).toHaveLength(100);
    expect(sim.rows('annotations')).toHaveLength(200);
    expect(sim.rows('incidentresolutions')).toHaveLength(50);
    expect(sim.rows('incidents').filter((i) => i.statecode === 1)).toHaveLength(50);
    expect(sim.rows('incidents').filter((i) => i.statecode === 2 && i.statuscode === 6)).toHaveLength(50);
    expect(sim.requests().length).toBeGreaterThan(changes);
  }, 120_000);

  it('opens a conflict on a 412 from a stale If-Match, with their version kept', async () => {
    const sim = await simulator();
    const db = freshDb();
    const settings = await signedIn(sim, db);
    const { case: created } = await createCase(caseInput(), ctx(db));
    await drainAll(db, settings);
    sim.externalUpdate('incidents', guidOf(created.id), { title: 'Renamed in Dynamics 365' });
    await reassignCase(created.id, { owner: 'someone@contoso.example' }, ctx(db));
    sim.externalUpdate('systemusers', '33333333-3333-4333-8333-333333333333', { internalemailaddress: 'someone@contoso.example' });
    await drainOutbox({ db, settings, random: () => 0 });
    const sync = await db.syncRecords.get(['case', created.id]);
    expect(sync?.status).toBe('conflict');
    expect(sync?.theirs).toMatchObject({ title: 'Renamed in Dynamics 365', id: created.id });
  });

  it('sends a reopen as state 0 / status 1 with If-Match of the resolve\'s answer', async () => {
    const sim = await simulator();
    const db = freshDb();
    const settings = await signedIn(sim, db);
    const { case: created } = await createCase(caseInput(), ctx(db));
    await resolveCase(created.id, { type: 'problemSolved', text: 'Fixed.' }, ctx(db));
    await reopenCase(created.id, ctx(db));
    await drainAll(db, settings);
    expect(sim.rows('incidents')[0]).toMatchObject({ statecode: 0, statuscode: 1 });
    const patches = sim.requests().filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
  });

  it('says "sign in again" when the refresh token has expired, and loses nothing meanwhile', async () => {
    const sim = await simulator({ accessTokenSeconds: 60 });
    const db = freshDb();
    const settings = await signedIn(sim, db);
    sim.expireRefreshTokens();
    sim.expireAccessTokens();
    await createCase(caseInput(), ctx(db));
    // The stored access token still looks valid for a minute: the API's 401 makes the adapter refresh, which is refused.
    const result = await drainOutbox({ db, settings, random: () => 0 });
    expect(result.blocked).toBe('sync.oauth.signInAgain');
    expect(await signInStateOf(tokenKeyOf(settings), db)).toBe('signInAgain');
    expect(await db.outbox.count()).toBe(2);
    expect(sim.rows('incidents')).toHaveLength(0);

    // Signing in again releases the outbox.
    await signedIn(sim, db);
    await drainOutbox({ db, settings, random: () => 0, force: true });
    expect(await db.outbox.count()).toBe(0);
    expect(sim.rows('incidents')).toHaveLength(1);
  });

  it('keeps a file over the organisation\'s maxuploadfilesize local, with its own status', async () => {
    const sim = await simulator({ maxUploadFileSize: 10 });
    const db = freshDb();
    const settings = await signedIn(sim, db);
    const { case: created } = await createCase(caseInput(), ctx(db));
    const file = Object.assign(new Blob(['more than ten bytes']), { name: 'big.bin' });
    const [attachment] = await addAttachments(created.id, [file], { db, uploadedBy: 'a' });
    await drainAll(db, settings, 2);
    expect(sim.rows('annotations')).toHaveLength(0);
    expect(await db.syncRecords.get(['attachment', attachment!.id])).toMatchObject({ status: 'error', error: 'sync.d365.error.fileTooLarge' });
    expect(sim.rows('incidents')).toHaveLength(1);
  });

  it('pulls incident changes through change tracking, and by modifiedon when tracking is off', async () => {
    for (const changeTracking of [true, false]) {
      const sim = await simulator({ changeTracking });
      const db = freshDb();
      const settings = await signedIn(sim, db);
      const { case: created } = await createCase(caseInput(), ctx(db));
      await drainAll(db, settings);
      // The first pull sets the cursor (and, with tracking, reads our own incident back: an echo).
      expect((await pullChanges({ db, settings })).error).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 5));
      sim.externalUpdate('incidents', guidOf(created.id), { title: 'Changed in D365', prioritycode: 3 });
      sim.externalUpdate('incidents', '44444444-4444-4444-8444-444444444444', { title: 'Not ours' });
      const pulled = await pullChanges({ db, settings });
      expect(pulled, `tracking ${changeTracking}`).toMatchObject({ applied: 1, conflicts: 0 });
      expect(await db.cases.get(created.id)).toMatchObject({ title: 'Changed in D365', priority: 'low' });
      expect(await db.cases.count()).toBe(1);
    }
  });
});
