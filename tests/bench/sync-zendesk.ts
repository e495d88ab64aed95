/**
 * Zendesk sync figure (issue 14): how fast the engine drains a queued outbox
 * to the Zendesk simulator on loopback, next to a plain fetch loop sending the
 * same requests with the same concurrency from the same context (the
 * extension's service worker, where the engine runs), as the REST and
 * Dynamics 365 figures are measured (sync.ts, sync-d365.ts).
 *
 *   sync_drain_zendesk  `cases` × (customer.created, case.created, case.updated)
 *                       queued → "Sync now" → the outbox is empty; changes per second
 *   raw_fetch_zendesk   the requests the adapter sends for them: Create Or
 *                       Update User, Create Ticket (requester_id of that user,
 *                       Idempotency-Key) and Update Ticket (safe_update with the
 *                       creation's updated_at), each case's three in order,
 *                       4 cases at a time
 *   raw_fetch_stored_zendesk  the same requests, each answer then written as
 *                       the least an exactly-once engine must write (its
 *                       outbox entry deleted, its record's sync row put:
 *                       sync-raw.ts), run after the engine on the same
 *                       entries put back
 *
 * Each contender gets its own simulator (API-token auth). Before a figure
 * counts, both simulators must hold one ticket per case, updated to priority
 * high: a plain loop that sent less would be no baseline. Run alone with
 *   SIDECASE_EXTENSION_DIR=.output/chrome-mv3 node --import tsx tests/bench/sync-zendesk.ts
 * BENCH_ZENDESK_CASES, BENCH_ZENDESK_RUNS size it; BENCH_ZENDESK_PROFILE=FILE
 * writes a V8 CPU profile of the service worker during each contender (FILE
 * for the drain, FILE.raw for the plain loop; the last run's).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { COMMIT_AFTER_MS, COMMIT_BATCH } from '../../lib/sync/commit-policy';
import { startReferenceBackend } from '../support/reference-backend';
import { startZendeskSimulator, type ZendeskSimulator } from '../support/zendesk-simulator';
import { EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from '../e2e/support/browser';
import { Figures, quantile, reasonOf, step, withDeadline } from './harness';
import { rawFetchLoop, type RawEntry } from './sync-raw';
import { drainThroughEngine, ensureDatabase, TOKEN as REST_TOKEN } from './sync';

export const EMAIL = 'bench@acme.example';
export const TOKEN = 'zd_bench_token_0123456789';
/** lib/sync/engine.ts's default; the raw loop uses the same. */
const CONCURRENCY = 4;

/**
 * The settings row as lib/sync/settings.ts's saveBackendSettings leaves it
 * for another backend: the `backend` row, `syncedWith` moved to it and the
 * previous backend's cursor forgotten (a Zendesk export cursor sent to the
 * reference backend is refused, and the reverse is read as a search cursor).
 * None: no backend, nothing drains.
 */
async function writeBackend(page: Page, value: { kind: 'none' } | { kind: string; url: string; auth: Record<string, string> }): Promise<void> {
  await page.evaluate(
    (value) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('sidecase');
        request.onerror = () => reject(request.error);
        request.onupgradeneeded = () => {
          request.transaction!.abort();
          reject(new Error('the extension has not created its database yet'));
        };
        request.onsuccess = () => {
          const tx = request.result.transaction('meta', 'readwrite');
          const meta = tx.objectStore('meta');
          meta.put({ key: 'backend', value });
          if ('url' in value) {
            meta.put({ key: 'syncedWith', value: `${value.kind} ${value.url}` });
            meta.delete('syncCursor');
          }
          tx.oncomplete = () => {
            request.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    value,
  );
}

/** Whatever the other phases left queued goes first, unmeasured, to a reference backend (it takes any change). */
export async function sendLeftovers(page: Page, what: string): Promise<void> {
  const warm = await startReferenceBackend({ auth: { type: 'bearer', token: REST_TOKEN } });
  try {
    await writeBackend(page, { kind: 'rest', url: warm.url, auth: { type: 'bearer', token: REST_TOKEN } });
    await drainThroughEngine(page, what);
  } finally {
    await warm.close();
  }
}

/** The Zendesk settings (API token) for `sim`; none without one. */
export function writeZendesk(page: Page, sim?: ZendeskSimulator): Promise<void> {
  return writeBackend(page, sim ? { kind: 'zendesk', url: sim.url, auth: { type: 'token', email: EMAIL, token: TOKEN } } : { kind: 'none' });
}

/**
 * Queues `count` cases, each as createCase writes it (customer.created, then
 * case.created, in one transaction) followed by an edit of its priority
 * (case.updated), all valid records.
 */
export async function queueZendeskCases(page: Page, count: number): Promise<void> {
  await page.evaluate(async (count) => {
    const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const ulid = (time: number, n: number) => {
      let head = '';
      for (let t = time, i = 0; i < 10; i++, t = Math.floor(t / 32)) head = CROCKFORD[t % 32] + head;
      let tail = '';
      for (let v = n, i = 0; i < 16; i++, v = Math.floor(v / 32)) tail = CROCKFORD[v % 32] + tail;
      return head + tail;
    };
    const idb = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('sidecase');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const now = Date.now();
    // A random part per run: ids never repeat across runs in one profile.
    const salt = Math.floor(Math.random() * 2 ** 30);
    const tx = idb.transaction('outbox', 'readwrite');
    const store = tx.objectStore('outbox');
    let n = 0;
    for (let i = 0; i < count; i++) {
      const customer = {
        id: ulid(now - 2000, salt * 4096 + i),
        kind: 'contact',
        name: `Bench Customer ${i}`,
        emails: [`bench${salt}-${i}@example.org`],
        phones: [],
        company: '',
        searchKeys: ['bench', 'customer', `bench${salt}-${i}@example.org`, 'example.org'],
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      const created = {
        id: ulid(now - 1000, salt * 4096 + i),
        number: `CAS-${String(i).padStart(6, '0')}-BNCH`,
        title: `Bench case ${i}`,
        customerId: customer.id,
        subject: '',
        origin: 'email',
        product: '',
        priority: 'normal',
        state: 'active',
        statusReason: 'inProgress',
        owner: 'Bench',
        tags: ['Bench Run'],
        tagKeys: ['bench run'],
        description: 'Measured by the bench.',
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      const updated = { ...created, priority: 'high', updatedAt: now + 1, version: 2 };
      const changes = [
        ['customer', customer.id, 'customer.created', customer],
        ['case', created.id, 'case.created', created],
        ['case', created.id, 'case.updated', updated],
      ] as const;
      for (const [entity, entityId, type, data] of changes) {
        const entryId = ulid(now, salt * 8192 + n++);
        store.add({ id: entryId, entity, entityId, type, idempotencyKey: `${entity}:${entityId}:${entryId}`, occurredAt: now, data, attempts: 0, nextAttemptAt: now });
      }
    }
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    idb.close();
  }, count);
}

/**
 * One change as lib/sync/adapters/zendesk.ts sends it (mapping.ts's bodies,
 * key for key; api.ts's headers): a customer a Create Or Update User, whose
 * user id the case's creation names as requester; the creation a Create
 * Ticket with the entry's Idempotency-Key; the edit an Update Ticket with
 * safe_update and the creation's updated_at. What a lane's next request needs
 * travels as the "ETag": the user id, then "<ticket id> <updated_at>".
 */
async function zendeskSend(entry: RawEntry, before: string | null, ctx: { base: string; authorization: string }): Promise<string | null> {
  type Data = { id: string; name: string; emails: string[]; title: string; description: string; priority: string; tags: string[] };
  const data = entry.data as Data;
  const tags = [...new Set(data.tags?.map((tag) => tag.trim().toLowerCase().replace(/[\s,]+/g, '_')).filter(Boolean))];
  const headers: Record<string, string> = { Accept: 'application/json', Authorization: ctx.authorization, 'Content-Type': 'application/json' };
  let method = 'POST';
  let url: string;
  let body: unknown;
  if (entry.type === 'customer.created') {
    url = `${ctx.base}/api/v2/users/create_or_update.json`;
    body = { user: { name: data.name, external_id: data.id, email: data.emails[0] } };
  } else if (entry.type === 'case.created') {
    url = `${ctx.base}/api/v2/tickets.json`;
    body = {
      ticket: { subject: data.title, comment: { body: data.description || data.title }, requester_id: Number(before), priority: data.priority, tags, external_id: data.id },
    };
    headers['Idempotency-Key'] = entry.idempotencyKey;
  } else {
    const [id, stamp] = (before ?? '').split(' ');
    method = 'PUT';
    url = `${ctx.base}/api/v2/tickets/${id}.json`;
    body = { ticket: { subject: data.title, priority: data.priority, tags, safe_update: true, updated_stamp: stamp } };
  }
  const response = await fetch(url, { method, headers, body: JSON.stringify(body), redirect: 'manual', credentials: 'omit', cache: 'no-store' });
  const answer = (await response.json()) as { user?: { id: number }; ticket?: { id: number; updated_at: string } };
  if (!response.ok) throw new Error(`raw ${method} ${url} answered ${response.status}`);
  return answer.user ? String(answer.user.id) : `${answer.ticket!.id} ${answer.ticket!.updated_at}`;
}

/** A case's changes join its customer's lane: the ticket needs the user's id (the engine runs the case's lane after the customer's). */
function caseFollowsCustomer(entry: RawEntry): string {
  return entry.entity === 'case' ? `customer ${(entry.data as { customerId: string }).customerId}` : `${entry.entity} ${entry.entityId}`;
}

/**
 * The plain loop (sync-raw.ts) in the service worker: per case its user, ticket and update in order; `limit` cases at a time.
 * With `store` (raw_fetch_stored_zendesk), each answer then written as the least any exactly-once engine must write.
 */
export async function rawFetchZendesk(ext: ExtensionBrowser, sim: ZendeskSimulator, limit: number, store = false): Promise<{ count: number; ms: number }> {
  const authorization = `Basic ${Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64')}`;
  const what = store ? 'raw_fetch_stored_zendesk' : 'raw_fetch_zendesk';
  const policy = store && { batch: COMMIT_BATCH, afterMs: COMMIT_AFTER_MS };
  return rawFetchLoop(await ext.serviceWorker(), what, '__benchRawZendesk', zendeskSend, { base: sim.url, authorization }, limit, caseFollowsCustomer, policy);
}

/**
 * The outbox's entries kept in the page (`take`), or put back as they were (`restore`): the stored loop sends what the other two sent.
 * Kept in the page, not read out with readTable: the entries go back exactly as IndexedDB cloned them, with no JSON trip through puppeteer.
 */
async function outboxSnapshot(page: Page, action: 'take' | 'restore'): Promise<number> {
  return page.evaluate(
    (action) =>
      new Promise<number>((resolve, reject) => {
        const request = indexedDB.open('sidecase');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const idb = request.result;
          const held = globalThis as unknown as { __benchOutbox?: unknown[] };
          const tx = idb.transaction('outbox', action === 'take' ? 'readonly' : 'readwrite');
          const store = tx.objectStore('outbox');
          if (action === 'take') {
            const all = store.getAll();
            all.onsuccess = () => (held.__benchOutbox = all.result);
          } else for (const entry of held.__benchOutbox ?? []) store.add(entry);
          tx.oncomplete = () => {
            idb.close();
            resolve(held.__benchOutbox?.length ?? 0);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    action,
  );
}

/** A contender must leave one ticket per case (none twice), each updated to priority high, having sent 3 writes per case (the creation with its Idempotency-Key). */
function checkTickets(sim: ZendeskSimulator, cases: number, what: string): void {
  const tickets = [...sim.tickets.values()];
  const high = tickets.filter((ticket) => ticket.priority === 'high').length;
  const requesters = new Set(tickets.map((ticket) => ticket.requester_id)).size;
  const log = sim.requestLog();
  const writes = log.filter((request) => request.method !== 'GET').length;
  const keyed = log.filter((request) => request.method === 'POST' && request.path === '/api/v2/tickets.json' && request.idempotencyKey).length;
  if (sim.created.length !== cases || tickets.length !== cases || high !== cases || requesters !== cases || writes !== cases * 3 || keyed !== cases) {
    throw new Error(
      `${what} left ${tickets.length} tickets of ${cases} (${sim.created.length} created, ${high} priority high, ${requesters} requesters, ${writes} writes, ${keyed} keyed creations)`,
    );
  }
}

/** Both contenders left the same tickets: field for field, with the same requesters, found by external_id. */
function checkSameTickets(raw: ZendeskSimulator, engine: ZendeskSimulator): void {
  const shape = (sim: ZendeskSimulator) =>
    [...sim.tickets.values()]
      .map((ticket) => {
        const requester = sim.users.get(ticket.requester_id);
        const comments = ticket.comments.map((comment) => [comment.body, comment.public]);
        return JSON.stringify([ticket.external_id, ticket.subject, ticket.priority, ticket.status, ticket.type, ticket.tags, comments, requester?.name, requester?.email, requester?.external_id]);
      })
      .sort()
      .join('\n');
  if (shape(raw) !== shape(engine)) throw new Error('raw_fetch_zendesk and sync_drain_zendesk left different tickets');
}

/** A V8 CPU profile of the service worker while `run` runs, written to `file` (none: just runs it). */
async function profiled<R>(ext: ExtensionBrowser, file: string | undefined, run: () => Promise<R>): Promise<R> {
  if (!file) return run();
  const target = await ext.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${ext.extensionId}/`));
  const session = await target.createCDPSession();
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 200 });
  await session.send('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await session.send('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    await session.detach().catch(() => {});
  }
}

/** `extensionDir` with a blank.html (run.ts adds one): "Sync now" is sent from it, as in sync.ts, so no live query of the options page competes with the drain. */
export async function benchSyncZendesk(ext: ExtensionBrowser, figures: Figures, extensionDir?: string): Promise<void> {
  const cases = Number(process.env.BENCH_ZENDESK_CASES ?? 500);
  /**
   * Seven runs, not three: one run's ratio moves a long way on a 2-core machine (with what else the
   * browser and the machine do meanwhile), and the median of three landed on either side of the
   * target by chance (the README's Speed section, session 19, has the figures).
   */
  const runs = Number(process.env.BENCH_ZENDESK_RUNS ?? 7);
  const profile = process.env.BENCH_ZENDESK_PROFILE;
  const hasBlank = extensionDir !== undefined && fs.existsSync(path.join(extensionDir, 'blank.html'));
  await ensureDatabase(ext);
  const page = await ext.openPage(hasBlank ? 'blank.html' : 'options.html');
  const drain: number[] = [];
  const raw: number[] = [];
  /** Each run's raw time ÷ engine time: the two contenders of one run share the machine's state. */
  const ratios: number[] = [];
  /** raw_fetch_stored_zendesk: the plain loop with the least storage an exactly-once engine must write; its time ÷ the engine's, the plain loop's ÷ its. */
  const stored: number[] = [];
  const storedRatios: number[] = [];
  const bareRatios: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      step(`sync-zendesk: run ${run + 1}, sending what the other phases queued`);
      await sendLeftovers(page, `zendesk run ${run + 1}: sending the leftovers`);

      await writeZendesk(page);
      step(`sync-zendesk: run ${run + 1}, queueing ${cases * 3} changes`);
      await withDeadline(queueZendeskCases(page, cases), 60_000, 'queueing the changes');
      await outboxSnapshot(page, 'take');
      const rawSim = await startZendeskSimulator({ email: EMAIL, token: TOKEN });
      const plain = await profiled(ext, profile && `${profile}.raw`, () => rawFetchZendesk(ext, rawSim, CONCURRENCY));
      checkTickets(rawSim, cases, 'raw_fetch_zendesk');
      raw.push(plain.count / (plain.ms / 1000));

      const syncSim = await startZendeskSimulator({ email: EMAIL, token: TOKEN });
      await writeZendesk(page, syncSim);
      const engine = await profiled(ext, profile, () => drainThroughEngine(page, `zendesk run ${run + 1}: sync_drain_zendesk`));
      checkTickets(syncSim, cases, 'sync_drain_zendesk');
      checkSameTickets(rawSim, syncSim);
      await syncSim.close();
      drain.push(engine.sent / (engine.ms / 1000));

      // The same requests with the least storage any exactly-once engine must write: how much of the engine's time is storage alone.
      await writeZendesk(page);
      const restored = await outboxSnapshot(page, 'restore');
      if (restored !== cases * 3) throw new Error(`raw_fetch_stored_zendesk: ${restored} of ${cases * 3} changes put back`);
      const storedSim = await startZendeskSimulator({ email: EMAIL, token: TOKEN });
      const storing = await rawFetchZendesk(ext, storedSim, CONCURRENCY, true);
      checkTickets(storedSim, cases, 'raw_fetch_stored_zendesk');
      checkSameTickets(rawSim, storedSim);
      await rawSim.close();
      await storedSim.close();
      stored.push(storing.count / (storing.ms / 1000));

      const ratio = plain.ms / engine.ms;
      const storedRatio = storing.ms / engine.ms;
      const bareRatio = plain.ms / storing.ms;
      ratios.push(ratio);
      storedRatios.push(storedRatio);
      bareRatios.push(bareRatio);
      // The machine may be shared: the ratio within one run says more than either figure alone.
      console.log(
        `  zendesk run ${run + 1}: raw ${plain.count} in ${Math.round(plain.ms)} ms, engine ${engine.sent} in ${Math.round(engine.ms)} ms (× ${ratio.toFixed(2)}), ` +
          `raw with its storage ${storing.count} in ${Math.round(storing.ms)} ms (engine × ${storedRatio.toFixed(2)} of it; it × ${bareRatio.toFixed(2)} of raw)`,
      );
    }
  } finally {
    await writeZendesk(page).catch(() => {});
    await page.close().catch(() => {});
  }
  // The median as every figure's (harness.ts).
  const line = (what: string, xs: number[]) => `  ${what}, median ${quantile([...xs].sort((a, b) => a - b), 0.5).toFixed(2)}: ${xs.map((x) => x.toFixed(2)).join(', ')}`;
  if (ratios.length) {
    console.log(line("zendesk runs' ratios", ratios));
    console.log(line('engine ÷ raw with its storage', storedRatios));
    console.log(line('raw with its storage ÷ raw', bareRatios));
  }
  const d = figures.add('sync_drain_zendesk', drain, 'changes/s');
  const r = figures.add('raw_fetch_zendesk', raw, 'changes/s');
  if (stored.length) figures.add('raw_fetch_stored_zendesk', stored, 'changes/s');
  figures.target('sync_drain_zendesk ≥ 0.8 × raw_fetch_zendesk', d.median >= 0.8 * r.median, `${d.median} vs ${Math.round(0.8 * r.median * 100) / 100} changes/s`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // The same blank page run.ts adds, in a copy of the build.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecase-bench-zendesk-'));
  fs.cpSync(EXTENSION_DIR, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'blank.html'), '<!doctype html><html><head><meta charset="utf-8"><title>blank</title><script type="module" src="/blank.js"></script></head><body></body></html>');
  fs.writeFileSync(path.join(dir, 'blank.js'), "document.body.dataset.ready = 'true';\n");
  const figures = new Figures();
  let failed = false;
  const ext = await launchWithExtension({ extensionDir: dir });
  try {
    await withDeadline(benchSyncZendesk(ext, figures, dir), 600_000, 'the Zendesk sync bench');
  } catch (error) {
    console.log(`sync-zendesk bench failed: ${reasonOf(error)}`);
    failed = true;
  } finally {
    await withDeadline(ext.close(), 30_000, 'closing Chromium').catch(() => ext.browser.process()?.kill('SIGKILL'));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  figures.print();
  process.exit(failed ? 1 : 0);
}
