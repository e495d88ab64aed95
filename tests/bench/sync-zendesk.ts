/**
 * Zendesk sync figure: how fast the engine drains a queued outbox to the
 * Zendesk simulator, next to a plain fetch loop making the same requests
 * (create the user, create the ticket with its Idempotency-Key, update its
 * priority with safe_update) with the same concurrency.
 *
 *   sync_drain_zendesk  N cases × (customer.created, case.created, case.updated) → drained; changes per second
 *   raw_fetch_zendesk   the same requests, 4 cases at a time, each case's three in order
 *
 * Both run in Node (fake-indexeddb for the engine's database, Node's fetch),
 * each against a fresh simulator. Run alone with
 *   node --import tsx tests/bench/sync-zendesk.ts
 */
import 'fake-indexeddb/auto';
import { pathToFileURL } from 'node:url';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { SidecaseDb } from '../../lib/db/db';
import type { BackendSettings } from '../../lib/sync/settings';
import { startZendeskSimulator } from '../support/zendesk-simulator';
import { Figures } from './harness';

const EMAIL = 'bench@acme.example';
const TOKEN = 'zd_bench_token_0123456789';
const CONCURRENCY = 4;

/** Queues `cases` × 3 changes straight into the outbox, as createCase and an edit would write them. */
async function queue(db: SidecaseDb, cases: number): Promise<number> {
  const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let time = '';
  for (let t = Date.now(), i = 0; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32] + time;
  let n = 0;
  const ulid = () => {
    let tail = '';
    for (let v = n++, i = 0; i < 16; i++, v = Math.floor(v / 32)) tail = CROCKFORD[v % 32] + tail;
    return time + tail;
  };
  const entries = [];
  const entry = (entity: 'customer' | 'case', entityId: string, type: 'customer.created' | 'case.created' | 'case.updated', data: Record<string, unknown>) => {
    const id = ulid();
    return { id, entity, entityId, type, idempotencyKey: `${entity}:${entityId}:${id}`, occurredAt: Date.now(), data, attempts: 0, nextAttemptAt: 0 };
  };
  for (let i = 0; i < cases; i++) {
    const customerId = ulid();
    const caseId = ulid();
    const record = { id: caseId, title: `Bench case ${i}`, customerId, priority: 'normal', tags: ['bench'], description: `Case ${i}`, state: 'active', version: 1 };
    entries.push(entry('customer', customerId, 'customer.created', { id: customerId, name: `Bench ${i}`, emails: [`bench${i}@example.org`], phones: [], company: '' }));
    entries.push(entry('case', caseId, 'case.created', record));
    entries.push(entry('case', caseId, 'case.updated', { ...record, priority: 'high', version: 2 }));
  }
  await db.outbox.bulkAdd(entries);
  return entries.length;
}

/** The extension's modules read browser storage as they load: Node gets WXT's fake browser first. */
async function lib() {
  const scope = globalThis as unknown as { browser?: unknown; chrome?: unknown };
  scope.browser ??= fakeBrowser;
  scope.chrome ??= fakeBrowser;
  const [{ SidecaseDb }, { drainOutbox }] = await Promise.all([import('../../lib/db/db'), import('../../lib/sync/engine')]);
  return { SidecaseDb, drainOutbox };
}

/** CPU this process spent since `start` (the simulator's share included: it runs in-process for both contenders). */
const cpuMs = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
/** The CPU per change of the last timed drain or raw loop (standalone runs print it). */
let lastCpuMsPerChange = 0;

export async function drainOnce(cases: number): Promise<number> {
  const { SidecaseDb, drainOutbox } = await lib();
  const sim = await startZendeskSimulator({ email: EMAIL, token: TOKEN });
  const db = new SidecaseDb(`bench-zd-${Math.random()}`);
  try {
    const changes = await queue(db, cases);
    const settings: BackendSettings = { kind: 'zendesk', url: sim.url, auth: { type: 'token', email: EMAIL, token: TOKEN } };
    const started = performance.now();
    const cpu = process.cpuUsage();
    await drainOutbox({ db, settings, maxConcurrent: CONCURRENCY });
    const seconds = (performance.now() - started) / 1000;
    lastCpuMsPerChange = cpuMs(cpu) / changes;
    if ((await db.outbox.count()) !== 0 || sim.created.length !== cases) throw new Error('sync_drain_zendesk left changes behind');
    return changes / seconds;
  } finally {
    db.close();
    await sim.close();
  }
}

export async function rawOnce(cases: number): Promise<number> {
  const sim = await startZendeskSimulator({ email: EMAIL, token: TOKEN });
  const auth = `Basic ${Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64')}`;
  const send = async (method: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: auth, ...headers },
      body: JSON.stringify(body),
    });
    return (await response.json()) as Record<string, { id: number; updated_at: string }>;
  };
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < cases) {
          const i = next++;
          const user = await send('POST', '/api/v2/users/create_or_update.json', { user: { name: `Bench ${i}`, email: `bench${i}@example.org`, external_id: `c${i}` } });
          const created = await send(
            'POST',
            '/api/v2/tickets.json',
            { ticket: { subject: `Bench case ${i}`, comment: { body: `Case ${i}` }, requester_id: user.user!.id, priority: 'normal', tags: ['bench'], external_id: `k${i}` } },
            { 'Idempotency-Key': `case:${i}` },
          );
          await send('PUT', `/api/v2/tickets/${created.ticket!.id}.json`, {
            ticket: { subject: `Bench case ${i}`, priority: 'high', tags: ['bench'], safe_update: true, updated_stamp: created.ticket!.updated_at },
          });
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    lastCpuMsPerChange = cpuMs(cpu) / (cases * 3);
    if (sim.created.length !== cases) throw new Error('raw_fetch_zendesk left requests behind');
    return (cases * 3) / seconds;
  } finally {
    await sim.close();
  }
}

export async function benchSyncZendesk(figures: Figures, { cases = 500, runs = 3 } = {}): Promise<void> {
  const drain: number[] = [];
  const raw: number[] = [];
  for (let run = 0; run < runs; run++) {
    raw.push(await rawOnce(cases));
    drain.push(await drainOnce(cases));
  }
  const d = figures.add('sync_drain_zendesk', drain, 'changes/s');
  const r = figures.add('raw_fetch_zendesk', raw, 'changes/s');
  figures.target('sync_drain_zendesk ≥ 0.8 × raw_fetch_zendesk', d.median >= 0.8 * r.median, `${d.median} vs ${Math.round(0.8 * r.median * 100) / 100} changes/s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const cases = Number(process.env.ZD_BENCH_CASES ?? 500);
  // ZD_BENCH_PART=drain or raw runs one contender alone (for a CPU profile of it: node --cpu-prof).
  const part = process.env.ZD_BENCH_PART;
  if (part === 'drain' || part === 'raw') {
    // The first run warms the JIT up; the second is the one reported.
    for (const run of ['warm-up', 'measured']) {
      const rate = await (part === 'drain' ? drainOnce(cases) : rawOnce(cases));
      console.log(`${part} (${run}): ${rate.toFixed(1)} changes/s, ${lastCpuMsPerChange.toFixed(3)} ms CPU per change (simulator included)`);
    }
  } else {
    const figures = new Figures();
    await benchSyncZendesk(figures, { cases });
    figures.print();
  }
}
