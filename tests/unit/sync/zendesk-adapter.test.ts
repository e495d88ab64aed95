/**
 * The Zendesk adapter through the sync engine, against the Zendesk simulator
 * (tests/support/zendesk-simulator.ts) on 127.0.0.1 over Node's fetch, with
 * fake-indexeddb: what arrives in Zendesk, and what every status code does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addAttachments } from '../../../lib/attachments/attachments';
import { cancelCase } from '../../../lib/cases/cancel';
import { createCase } from '../../../lib/cases/create';
import { updateCase } from '../../../lib/cases/edit';
import { reopenCase } from '../../../lib/cases/reopen';
import { resolveCase } from '../../../lib/cases/resolve';
import type { SidecaseDb } from '../../../lib/db/db';
import { addNote } from '../../../lib/notes/notes';
import { keepNewest } from '../../../lib/sync/adapters/zendesk';
import { resolveConflict } from '../../../lib/sync/conflicts';
import { drainOutbox } from '../../../lib/sync/engine';
import type { BackendSettings } from '../../../lib/sync/settings';
import { testBackendConnection } from '../../../lib/sync/test-connection';
import { startZendeskSimulator, type ZendeskSimulator, type ZendeskSimulatorOptions } from '../../support/zendesk-simulator';
import { caseInput, freshDb } from '../cases/helpers';

const EMAIL = 'ada@acme.example';
const TOKEN = 'zd_unit_token_42';

const sims: ZendeskSimulator[] = [];
async function simulator(options: ZendeskSimulatorOptions = {}) {
  const sim = await startZendeskSimulator({ email: EMAIL, token: TOKEN, ...options });
  sims.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(sims.splice(0).map((sim) => sim.close()));
});

const zendesk = (url: string, token = TOKEN): BackendSettings => ({ kind: 'zendesk', url, auth: { type: 'token', email: EMAIL, token } });

/** A fake clock for the engine (backoff), the simulator keeps real time. */
function world(sim: ZendeskSimulator, token = TOKEN) {
  const db: SidecaseDb = freshDb();
  let clock = Date.now();
  const now = () => clock;
  const ctx = (actor = 'Bea') => ({ actor, db, now: ++clock });
  const drain = (force = false) => drainOutbox({ db, settings: zendesk(sim.url, token), now, random: () => 0, force, timeoutMs: 2_000 });
  /** Drains until the outbox is empty, moving the clock past every backoff. */
  const drainAll = async (rounds = 30) => {
    for (let i = 0; i < rounds && (await db.outbox.count()) > 0; i++) {
      await drain(true);
      clock += 10 * 60_000;
    }
    return db.outbox.count();
  };
  const newCase = async (patch: Parameters<typeof caseInput>[0] = {}) =>
    (await createCase(caseInput({ priority: 'high', tags: ['Billing Issue', 'VIP'], description: 'The parcel never arrived.', ...patch }), ctx())).case;
  return { db, ctx, drain, drainAll, newCase, advance: (ms: number) => (clock += ms) };
}

describe('a case in Zendesk', () => {
  it('becomes one ticket with requester, priority and tags; a note a private comment; a file one upload; resolve solves it', async () => {
    const sim = await simulator();
    const w = world(sim);
    const c = await w.newCase();
    await addNote(c.id, { body: 'Called back', format: 'text' }, w.ctx());
    await addAttachments(c.id, [new File(['%PDF-1.4 invoice'], 'invoice.pdf', { type: 'application/pdf' })], { uploadedBy: 'Bea', db: w.db, now: w.ctx().now });
    await resolveCase(c.id, { type: 'problemSolved', text: 'Refunded in full.' }, w.ctx());
    expect(await w.drainAll()).toBe(0);

    expect(sim.created).toHaveLength(1);
    const ticket = sim.tickets.get(sim.created[0]!.id)!;
    expect(ticket).toMatchObject({ external_id: c.id, subject: c.title, priority: 'high', status: 'solved', tags: ['billing_issue', 'vip'] });
    expect(sim.users.get(ticket.requester_id)).toMatchObject({ email: 'ana@northwind.example', name: 'Ana Kovács', external_id: c.customerId });
    const [description, ...rest] = ticket.comments;
    expect(description).toMatchObject({ body: 'The parcel never arrived.', public: true });
    // The note, the file and the resolution travel in lanes of their own: their order in Zendesk may vary.
    const shown = rest.map((comment) => ({ text: comment.plain_body, isPublic: comment.public, files: comment.attachments.map((a) => a.file_name) }));
    expect(shown.sort((a, b) => a.text.localeCompare(b.text))).toEqual([
      { text: 'Called back', isPublic: false, files: [] },
      { text: 'invoice.pdf', isPublic: false, files: ['invoice.pdf'] },
      { text: 'Refunded in full.', isPublic: false, files: [] },
    ]);
    expect([...sim.uploads.values()]).toEqual([expect.objectContaining({ file_name: 'invoice.pdf', content_type: 'application/pdf', attached: true })]);
    // The ticket id is kept with the case.
    expect((await w.db.syncRecords.get(['case', c.id]))?.remoteId).toBe(String(ticket.id));
  });

  it('cancels as solved with the cancelled tag, reopens as open, sends an edit with safe_update', async () => {
    const sim = await simulator();
    const w = world(sim);
    const c = await w.newCase();
    await w.drainAll();
    const id = sim.created[0]!.id;
    await updateCase(c.id, { title: 'Refund, order 1042', priority: 'urgent' }, w.ctx());
    await w.drainAll();
    expect(sim.tickets.get(id)).toMatchObject({ subject: 'Refund, order 1042', priority: 'urgent' });
    const puts = sim.requestLog().filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);

    await cancelCase(c.id, w.ctx());
    await w.drainAll();
    expect(sim.tickets.get(id)).toMatchObject({ status: 'solved', tags: ['billing_issue', 'vip', 'cancelled'] });
    await reopenCase(c.id, w.ctx());
    await w.drainAll();
    expect(sim.tickets.get(id)!.status).toBe('open');
    expect(sim.created).toHaveLength(1);
  });
});

describe('exactly once', () => {
  it("makes one ticket when the creation's answer is lost", async () => {
    const sim = await simulator();
    const w = world(sim);
    await w.newCase();
    sim.setFaults((r) => (r.method === 'POST' && r.path === '/api/v2/tickets.json' && r.n < 10 ? { kind: 'dropAfterCommit' } : undefined));
    await w.drain(true);
    expect(sim.created).toHaveLength(1);
    sim.setFaults(undefined);
    expect(await w.drainAll()).toBe(0);
    expect(sim.created).toHaveLength(1);
  });

  it('finds the ticket by external_id when the replay comes after the key expired', async () => {
    const sim = await simulator();
    const w = world(sim);
    const c = await w.newCase();
    let n = 0;
    sim.setFaults((r) => {
      if (r.method !== 'POST' || r.path !== '/api/v2/tickets.json') return undefined;
      n += 1;
      return n === 1 ? { kind: 'dropAfterCommit' } : { kind: 'expireKeys' };
    });
    expect(await w.drainAll()).toBe(0);
    expect(sim.ticketByExternalId(c.id)).toHaveLength(1);
    // The retry looked the ticket up; it never posted a second creation.
    expect(sim.requestLog().filter((r) => r.method === 'POST' && r.path === '/api/v2/tickets.json')).toHaveLength(1);
  });

  /** A request with the entry's key made behind the adapter's back, as an earlier try with other parameters. */
  async function postWithKey(sim: ZendeskSimulator, key: string, ticket: Record<string, unknown>) {
    const response = await fetch(`${sim.url}/api/v2/tickets.json`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Basic ${Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64')}`,
        'Idempotency-Key': key,
      },
      body: JSON.stringify({ ticket: { comment: { body: 'x' }, requester_id: [...sim.users.keys()][0], ...ticket } }),
    });
    expect(response.status).toBe(201);
  }

  it('after a key mismatch (400 IdempotentRequestError) finds the ticket an earlier try made, by external_id', async () => {
    const sim = await simulator();
    const w = world(sim);
    const c = await w.newCase();
    const entry = (await w.db.outbox.where('[entity+entityId]').equals(['case', c.id]).first())!;
    await postWithKey(sim, entry.idempotencyKey, { subject: 'An older spelling', external_id: c.id });
    expect(await w.drainAll()).toBe(0);
    expect(sim.ticketByExternalId(c.id)).toHaveLength(1);
    expect(sim.created).toHaveLength(1);
  });

  it('after a key mismatch with no ticket of this case, creates it once under a fresh key', async () => {
    const sim = await simulator();
    const w = world(sim);
    const c = await w.newCase();
    const entry = (await w.db.outbox.where('[entity+entityId]').equals(['case', c.id]).first())!;
    await postWithKey(sim, entry.idempotencyKey, { subject: 'Someone else' });
    expect(await w.drainAll()).toBe(0);
    expect(sim.ticketByExternalId(c.id)).toHaveLength(1);
    expect(sim.created).toHaveLength(2);
  });

  it('a worker killed mid-request leaves the entry untried: the key answers the replay with the first ticket', async () => {
    const sim = await simulator();
    const w = world(sim);
    const c = await w.newCase();
    sim.setFaults((r) => (r.method === 'POST' && r.path === '/api/v2/tickets.json' ? { kind: 'dropAfterCommit' } : undefined));
    await w.drain(true);
    sim.setFaults(undefined);
    // The worker died before recording the attempt: the entry looks as if never sent.
    await w.db.outbox.where('[entity+entityId]').equals(['case', c.id]).modify({ attempts: 0, nextAttemptAt: 0 });
    expect(await w.drainAll()).toBe(0);
    expect(sim.created).toHaveLength(1);
    const posts = sim.requestLog().filter((r) => r.method === 'POST' && r.path === '/api/v2/tickets.json');
    expect(posts).toHaveLength(2);
    expect(new Set(posts.map((r) => r.idempotencyKey)).size).toBe(1);
  });

  it('adds a note once when its answer was lost', async () => {
    const sim = await simulator();
    const w = world(sim);
    const c = await w.newCase();
    await w.drainAll();
    await addNote(c.id, { body: 'Called back', format: 'text' }, w.ctx());
    sim.queueFault({ kind: 'dropAfterCommit' });
    expect(await w.drainAll()).toBe(0);
    expect(sim.tickets.get(sim.created[0]!.id)!.comments.filter((comment) => comment.plain_body === 'Called back')).toHaveLength(1);
  });
});

describe('every status code', () => {
  async function deliverOne(fault: Parameters<ZendeskSimulator['queueFault']>[0]) {
    const sim = await simulator();
    const w = world(sim);
    const c = await w.newCase();
    await w.drain(true); // customer and ticket
    await updateCase(c.id, { title: 'Edited' }, w.ctx());
    sim.queueFault(fault);
    const result = await w.drain(true);
    const entry = await w.db.outbox.where('[entity+entityId]').equals(['case', c.id]).first();
    return { sim, w, c, result, entry, sync: await w.db.syncRecords.get(['case', c.id]) };
  }

  it('201: the ticket is created, its id and updated_at kept', async () => {
    const sim = await simulator();
    const w = world(sim);
    const c = await w.newCase();
    const result = await w.drain(true);
    expect(result).toMatchObject({ sent: 2, retried: 0, failed: 0 });
    const sync = await w.db.syncRecords.get(['case', c.id]);
    expect(sync).toMatchObject({ status: 'synced', remoteId: String(sim.created[0]!.id), etag: sim.created[0]!.updated_at });
  });

  it('429: waits as long as Retry-After says, then delivers', async () => {
    const { entry, result } = await deliverOne({ kind: 'status', status: 429, retryAfter: '120' });
    expect(result.retried).toBe(1);
    expect(entry!.lastError).toBe('sync.error.rateLimited');
    expect(entry!.nextAttemptAt - entry!.occurredAt).toBeGreaterThanOrEqual(120_000);
  });

  it('503 and 500: tried again later', async () => {
    for (const status of [500, 503]) {
      const { entry, w, sim } = await deliverOne({ kind: 'status', status });
      expect(entry!.lastError).toBe('sync.error.server');
      expect(await w.drainAll()).toBe(0);
      expect(sim.tickets.get(sim.created[0]!.id)!.subject).toBe('Edited');
    }
  });

  it('401 and 403: stop every delivery until the settings change', async () => {
    for (const [status, key] of [
      [401, 'sync.error.unauthorized'],
      [403, 'sync.error.forbidden'],
    ] as const) {
      const { result, entry } = await deliverOne({ kind: 'status', status });
      expect(result.blocked).toBe(key);
      expect(entry).toBeDefined();
    }
  });

  it('401 for a wrong token, with nothing sent', async () => {
    const sim = await simulator();
    const w = world(sim, 'wrong-token');
    await w.newCase();
    expect((await w.drain(true)).blocked).toBe('sync.error.unauthorized');
    expect(sim.created).toHaveLength(0);
  });

  it('404: a ticket deleted in Zendesk is this case\'s problem only', async () => {
    const sim = await simulator();
    const w = world(sim);
    const c = await w.newCase();
    await w.drainAll();
    sim.tickets.clear();
    await updateCase(c.id, { title: 'Edited' }, w.ctx());
    const result = await w.drain(true);
    expect(result.blocked).toBeUndefined();
    expect(await w.db.syncRecords.get(['case', c.id])).toMatchObject({ status: 'error', error: 'sync.zendesk.ticketGone' });
  });

  it('409: a change made in Zendesk since is a conflict; "Keep mine" sends ours over the version the agent saw', async () => {
    const sim = await simulator();
    const w = world(sim);
    const c = await w.newCase();
    await w.drainAll();
    const id = sim.created[0]!.id;
    sim.externalUpdate(id, { subject: 'Renamed in Zendesk' });
    await updateCase(c.id, { title: 'Renamed here' }, w.ctx());
    const result = await w.drain(true);
    expect(result.conflicts).toBe(1);
    const sync = await w.db.syncRecords.get(['case', c.id]);
    expect(sync).toMatchObject({ status: 'conflict', theirs: { title: 'Renamed in Zendesk' } });
    expect(sim.tickets.get(id)!.subject).toBe('Renamed in Zendesk');
    await resolveConflict('case', c.id, 'mine', { db: w.db, now: Date.now() });
    expect(await w.drainAll()).toBe(0);
    expect(sim.tickets.get(id)!.subject).toBe('Renamed here');
  });

  it('422 RecordInvalid: the case says which field Zendesk refused', async () => {
    const sim = await simulator();
    const w = world(sim);
    const c = await w.newCase();
    await w.drain(true);
    await updateCase(c.id, { title: 'Edited' }, w.ctx());
    sim.tickets.get(sim.created[0]!.id)!.status = 'closed';
    await w.drain(true);
    expect(await w.db.syncRecords.get(['case', c.id])).toMatchObject({ status: 'error', error: 'sync.zendesk.invalid.status' });
  });
});

describe('Test connection', () => {
  it('says who is signed in, and refuses a wrong token', async () => {
    const sim = await simulator();
    expect(await testBackendConnection(zendesk(sim.url))).toEqual({ ok: true, signedInAs: `Ada Agent <${EMAIL}>` });
    expect(await testBackendConnection(zendesk(sim.url, 'nope'))).toEqual({ ok: false, error: 'sync.error.unauthorized' });
  });
});

describe('500 changes with 30 % faults', () => {
  /** Seeded PRNG (mulberry32): the same faults on every run. */
  function seeded(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it('creates each ticket once and each note once (429, 503, dropped answers, expired keys)', { timeout: 120_000 }, async () => {
    const sim = await simulator();
    const w = world(sim);
    const cases = [];
    for (let i = 0; i < 100; i++) {
      const c = (await createCase(caseInput({ title: `Bulk case ${i}` }, { name: `Bulk ${i}`, email: `bulk${i}@example.org`, phone: '' }), w.ctx())).case;
      await addNote(c.id, { body: `Note on case ${i}`, format: 'text' }, w.ctx());
      await updateCase(c.id, { priority: 'urgent' }, w.ctx());
      cases.push(c);
    }
    const total = await w.db.outbox.count();
    expect(total).toBe(500);
    const random = seeded(14);
    const injected: Record<string, number> = {};
    sim.setFaults((request) => {
      if (random() >= 0.3) return undefined;
      const roll = random();
      const isCreate = request.method === 'POST' && request.path === '/api/v2/tickets.json';
      const fault =
        isCreate && roll < 0.3
          ? ({ kind: 'expireKeys' } as const)
          : roll < 0.5
            ? ({ kind: 'status', status: 429, retryAfter: '1' } as const)
            : roll < 0.75
              ? ({ kind: 'status', status: 503 } as const)
              : ({ kind: 'dropAfterCommit' } as const);
      const name = fault.kind === 'status' ? String(fault.status) : fault.kind;
      injected[name] = (injected[name] ?? 0) + 1;
      return fault;
    });
    const left = await w.drainAll(60);
    const stuck = (await w.db.outbox.toArray()).map((e) => [e.type, e.lastError, e.attempts]);
    expect({ left, stuck }).toEqual({ left: 0, stuck: [] });
    expect(injected.dropAfterCommit).toBeGreaterThan(5);
    for (const c of cases) {
      const tickets = sim.ticketByExternalId(c.id);
      expect(tickets).toHaveLength(1);
      expect(tickets[0]!.priority).toBe('urgent');
      expect(tickets[0]!.comments.filter((comment) => comment.plain_body.startsWith('Note on case'))).toHaveLength(1);
    }
  });
});

describe('what the adapter keeps of the cases it sent', () => {
  it('keeps the newest 3 of 3 allowed, a case sent again counting as newest', () => {
    const map = new Map<string, number>();
    for (const [key, value] of [['a', 1], ['b', 2], ['c', 3], ['a', 4], ['d', 5]] as const) keepNewest(map, key, value, 3);
    // 'b' was the oldest once 'a' was sent again; 'd' pushed it out.
    expect([...map.entries()]).toEqual([['c', 3], ['a', 4], ['d', 5]]);
  });
});

describe('what the adapter keeps of the accounts it synced with', () => {
  it('forgets an account once two others were synced with since, and then finds its ticket again by the case id', async () => {
    const first = await simulator();
    const w = world(first);
    const c = await w.newCase();
    expect(await w.drainAll()).toBe(0);
    // List Tickets by external_id (the log keeps the path without its query).
    const lookups = () => first.requestLog().filter((r) => r.method === 'GET' && r.path === '/api/v2/tickets.json');

    // Edited while this account is still known: the ticket's id is known, nothing is looked up.
    await updateCase(c.id, { priority: 'low' }, w.ctx());
    expect(await w.drainAll()).toBe(0);
    expect(lookups()).toHaveLength(0);

    // Two other accounts (another URL each) synced with since: the first is forgotten.
    for (const other of [await simulator(), await simulator()]) {
      const elsewhere = world(other);
      await elsewhere.newCase();
      expect(await elsewhere.drainAll()).toBe(0);
    }
    await updateCase(c.id, { priority: 'urgent' }, w.ctx());
    expect(await w.drainAll()).toBe(0);
    expect(lookups()).toHaveLength(1);
    expect(first.created).toHaveLength(1);
    expect(first.tickets.get(first.created[0]!.id)!.priority).toBe('urgent');
  });
});
