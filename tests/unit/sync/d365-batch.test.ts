/**
 * The Dynamics 365 adapter's `$batch` (lib/sync/dynamics365/batch.ts) through
 * the real sync engine, against the Dataverse simulator on 127.0.0.1: writes
 * waiting together go in one batch, each a change set of its own, and exactly
 * once and order per record hold as with one request per change.
 */
import { describe, expect, it } from 'vitest';
import { cancelCase } from '../../../lib/cases/cancel';
import { createCase } from '../../../lib/cases/create';
import type { SidecaseDb } from '../../../lib/db/db';
import { answersOf, batchBodyOf } from '../../../lib/sync/dynamics365/batch';
import { guidOf } from '../../../lib/sync/dynamics365/guid';
import type { Fault, RequestInfo } from '../../support/dataverse-simulator';
import { drainOutbox } from '../../../lib/sync/engine';
import { caseInput, freshDb } from '../cases/helpers';
import { ctx, dataverseSimulators, drainAll, signedIn } from './d365-support';

const simulator = dataverseSimulators();


/** `count` cases, each with a customer of its own (an email, no company: one contact each). */
async function createCases(db: SidecaseDb, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { case: created } = await createCase(caseInput({ title: `Case ${i}` }, { name: `Customer ${i}`, email: `c${i}@example.org`, phone: '', company: '' }), ctx(db));
    ids.push(created.id);
  }
  return ids;
}

/** The simulator's log, each request inside a batch with the number of its batch (0: sent alone). */
function withBatch(log: RequestInfo[]): Array<RequestInfo & { batch: number }> {
  let batch = 0;
  const out: Array<RequestInfo & { batch: number }> = [];
  for (const request of log) {
    if (request.path === '/$batch' && !request.inBatch) batch = request.n;
    else out.push({ ...request, batch: request.inBatch ? batch : 0 });
  }
  return out;
}

/** The log number of the second $batch: the batches up to it lost their answers. */
function lostBatches(log: RequestInfo[]): number {
  return log.filter((r) => r.path === '/$batch' && !r.inBatch)[1]?.n ?? 0;
}

describe('Dynamics 365 $batch', () => {
  it('sends the writes waiting together in one $batch, each answered on its own', async () => {
    const sim = await simulator();
    const db = freshDb();
    const settings = await signedIn(sim, db);
    await createCases(db, 30);
    await drainAll(db, settings, 20);

    expect(await db.outbox.count()).toBe(0);
    expect(sim.rows('incidents')).toHaveLength(30);
    expect(sim.rows('contacts')).toHaveLength(30);
    const writes = withBatch(sim.requests()).filter((r) => r.method === 'POST');
    expect(writes).toHaveLength(60);
    // 60 creates in far fewer requests than 60 (a write alone when nothing else waited with it).
    const requests = new Set(writes.filter((r) => r.batch > 0).map((r) => r.batch)).size + writes.filter((r) => r.batch === 0).length;
    expect(requests).toBeLessThanOrEqual(15);
  });

  it('creates each incident once when the answer to its batch is lost', async () => {
    let dropped = 0;
    const sim = await simulator({
      // Every batch's answer is lost the first two times: each of its writes is applied, and sent again.
      faults: (request) => (request.path === '/$batch' && dropped++ < 2 ? ({ kind: 'dropAfterCommit' } satisfies Fault) : undefined),
    });
    const db = freshDb();
    const settings = await signedIn(sim, db);
    // The contacts are there already (found by email): the batches lost are the incidents' creates.
    for (let i = 0; i < 20; i++) sim.externalUpdate('contacts', `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, { lastname: `Known ${i}`, emailaddress1: `c${i}@example.org` });
    const ids = await createCases(db, 20);
    await drainAll(db, settings, 20);

    expect(dropped).toBeGreaterThanOrEqual(2);
    const lost = withBatch(sim.requests()).filter((r) => r.batch > 0 && r.batch <= lostBatches(sim.requests()));
    expect(lost.some((r) => r.method === 'POST' && r.path === '/incidents')).toBe(true);
    expect(await db.outbox.count()).toBe(0);
    expect(sim.rows('contacts')).toHaveLength(20);
    expect(sim.rows('incidents').map((row) => row.incidentid).sort()).toEqual(ids.map(guidOf).sort());
    for (const id of ids) expect((await db.syncRecords.get(['case', id]))?.status).toBe('synced');
  });

  it('fails only the refused change of a batch: a 412 on one record is its conflict, the others are applied', async () => {
    const sim = await simulator();
    const db = freshDb();
    const settings = await signedIn(sim, db);
    const ids = await createCases(db, 6);
    await drainAll(db, settings, 20);
    // Changed in Dynamics 365 meanwhile: its stored ETag is stale.
    sim.externalUpdate('incidents', guidOf(ids[2]!), { title: 'Renamed in Dynamics 365' });
    for (const id of ids) await cancelCase(id, ctx(db));
    const before = sim.requests().length;
    await drainOutbox({ db, settings, random: () => 0 });

    const patches = withBatch(sim.requests().slice(before)).filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(6);
    expect(new Set(patches.map((r) => r.batch)).size).toBe(1);
    expect(patches[0]!.batch).toBeGreaterThan(0);
    for (const [i, id] of ids.entries()) {
      const row = sim.rows('incidents').find((incident) => incident.incidentid === guidOf(id))!;
      const sync = await db.syncRecords.get(['case', id]);
      if (i === 2) {
        expect(row.statecode).toBe(0);
        expect(sync?.status).toBe('conflict');
      } else {
        expect(row).toMatchObject({ statecode: 2, statuscode: 6 });
        expect(sync?.status).toBe('synced');
      }
    }
  });

  it("keeps each record's order across batches: its next change goes in a later batch, with the earlier answer's ETag", async () => {
    const sim = await simulator();
    const db = freshDb();
    const settings = await signedIn(sim, db);
    const ids = await createCases(db, 12);
    for (const id of ids) await cancelCase(id, ctx(db));
    await drainAll(db, settings, 20);

    expect(await db.outbox.count()).toBe(0);
    const log = withBatch(sim.requests());
    for (const id of ids) {
      const post = log.find((r) => r.method === 'POST' && r.path === '/incidents' && r.row === guidOf(id));
      const patch = log.find((r) => r.method === 'PATCH' && r.row === guidOf(id));
      expect(post && patch).toBeTruthy();
      expect(patch!.n).toBeGreaterThan(post!.n);
      // Not in the create's batch: in a later one, or alone.
      expect(post!.batch > 0 && patch!.batch === post!.batch).toBe(false);
    }
    // No 412: each cancel carried the ETag its create was answered with.
    expect(sim.rows('incidents').every((row) => row.statecode === 2 && row.statuscode === 6)).toBe(true);
    for (const id of ids) expect((await db.syncRecords.get(['case', id]))?.status).toBe('synced');
  });

  it('refreshes the token once for all the writes of a batch answered 401, and sends them again', async () => {
    let refused = 0;
    const sim = await simulator({
      faults: (request) => (request.path === '/$batch' && refused++ === 0 ? ({ kind: 'status', status: 401, code: '0x80040220' } satisfies Fault) : undefined),
    });
    const db = freshDb();
    const settings = await signedIn(sim, db);
    for (let i = 0; i < 10; i++) sim.externalUpdate('contacts', `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, { lastname: `Known ${i}`, emailaddress1: `c${i}@example.org` });
    const ids = await createCases(db, 10);
    await drainOutbox({ db, settings, random: () => 0, maxConcurrent: 1, timeoutMs: 5000 });

    expect(refused).toBeGreaterThan(1);
    expect(sim.refreshes()).toBe(1);
    expect(await db.outbox.count()).toBe(0);
    expect(sim.rows('incidents')).toHaveLength(ids.length);
  });

  it('honours Retry-After of a 429 to the batch for each of its changes, and applies nothing twice after', async () => {
    let refused = 0;
    const sim = await simulator({
      faults: (request) =>
        request.path === '/$batch' && refused++ === 0 ? ({ kind: 'status', status: 429, retryAfter: '120' } satisfies Fault) : undefined,
    });
    const db = freshDb();
    const settings = await signedIn(sim, db);
    const ids = await createCases(db, 10);
    const clock = Date.now();
    await drainOutbox({ db, settings, now: () => clock, random: () => 0, maxConcurrent: 1, timeoutMs: 5000 });

    const waiting = await db.outbox.toArray();
    const refusedEntries = waiting.filter((entry) => entry.lastError === 'sync.error.rateLimited');
    expect(refusedEntries.length).toBeGreaterThan(1);
    for (const entry of refusedEntries) expect(entry.nextAttemptAt).toBeGreaterThanOrEqual(clock + 120_000);
    await drainAll(db, settings, 20);
    expect(await db.outbox.count()).toBe(0);
    expect(sim.rows('contacts')).toHaveLength(10);
    expect(sim.rows('incidents')).toHaveLength(ids.length);
  });
});

describe('$batch body and answers', () => {
  it('reads each change set\'s answer, and a failed change set\'s error alone, in order', () => {
    const body = batchBodyOf(
      [
        { method: 'POST', url: 'https://org.example/api/data/v9.2/incidents', headers: { 'Content-Type': 'application/json' }, body: '{"title":"a"}' },
        { method: 'PATCH', url: 'https://org.example/api/data/v9.2/incidents(1)', headers: { 'If-Match': 'W/"1"' }, body: '{}' },
      ],
      'b1',
    );
    expect(body).toContain('--b1\r\nContent-Type: multipart/mixed; boundary=changeset_1_b1');
    expect(body).toContain('If-Match: W/"1"');
    const answer =
      '--batchresponse_x\r\nContent-Type: multipart/mixed; boundary=changesetresponse_y\r\n\r\n' +
      '--changesetresponse_y\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 1\r\n\r\n' +
      'HTTP/1.1 201 Created\r\nContent-Type: application/json; odata.metadata=minimal\r\nETag: W/"7"\r\n\r\n{"@odata.etag":"W/\\"7\\"","incidentid":"x"}\r\n' +
      '--changesetresponse_y--\r\n' +
      '--batchresponse_x\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n' +
      'HTTP/1.1 412 Precondition Failed\r\nContent-Type: application/json\r\n\r\n{"error":{"code":"0x80060882","message":"stale"}}\r\n' +
      '--batchresponse_x--\r\n';
    const [created, refused, missing] = answersOf('multipart/mixed; boundary=batchresponse_x', answer);
    expect(created).toMatchObject({ kind: 'response', status: 201 });
    expect(created?.kind === 'response' && created.headers.get('etag')).toBe('W/"7"');
    expect(created?.kind === 'response' && JSON.parse(new TextDecoder().decode(created.body))).toEqual({ '@odata.etag': 'W/"7"', incidentid: 'x' });
    expect(refused).toMatchObject({ kind: 'response', status: 412 });
    expect(refused?.kind === 'response' && new TextDecoder().decode(refused.body)).toContain('0x80060882');
    expect(missing).toBeUndefined();
  });

  it('reads the parts whatever the case of their header names, as MIME allows', () => {
    const answer =
      '--batchresponse_z\r\ncontent-type: multipart/mixed; boundary="changesetresponse_w"\r\n\r\n' +
      '--changesetresponse_w\r\nCONTENT-TYPE: application/http\r\ncontent-transfer-encoding: binary\r\n\r\n' +
      'HTTP/1.1 204 No Content\r\netag: W/"9"\r\nOData-EntityId: https://org.example/api/data/v9.2/incidents(1)\r\n\r\n\r\n' +
      '--changesetresponse_w--\r\n' +
      '--batchresponse_z--\r\n';
    const [updated] = answersOf('multipart/mixed; boundary=batchresponse_z', answer);
    expect(updated).toMatchObject({ kind: 'response', status: 204 });
    expect(updated?.kind === 'response' && updated.headers.get('ETag')).toBe('W/"9"');
    expect(updated?.kind === 'response' && updated.headers.get('odata-entityid')).toBe('https://org.example/api/data/v9.2/incidents(1)');
  });
});
