/**
 * Dynamics 365 sync figure (issue 17): how fast the engine drains a queued
 * outbox to the Dataverse simulator on loopback, next to a plain fetch loop
 * sending the same requests (a create with its id, then an update with
 * If-Match of the create's ETag, per record) with the same concurrency from
 * the same context (the extension's service worker).
 *
 *   sync_drain_d365  `records` × 2 queued changes (case.created + case.updated)
 *                    → "Sync now" → the outbox is empty; changes per second
 *   raw_fetch_d365   the same POSTs and PATCHes, 4 at a time, ordered per record (the first
 *                    run only: BENCH_D365_RAW_RUNS)
 *   raw_batch_d365   the same POSTs and PATCHes in `$batch` requests of 50 records (one change set
 *                    each), the creates then their updates, 4 batches at a time: the engine
 *                    sends `$batch` requests too (lib/sync/dynamics365/batch.ts)
 *   raw_batch_stored_d365  the same batches, each group's answers then written as the least any
 *                    engine must write for them (its entries deleted, each record's sync row put
 *                    once), in raw IndexedDB: what storage alone costs on this database
 *                    (BENCH_D365_STORED=0: not run)
 *
 * Each contender gets its own simulator, signed in from Node through the
 * simulator's authority (authorization code + PKCE) before it starts.
 *   SIDECASE_EXTENSION_DIR=.output/chrome-mv3 node --import tsx tests/bench/sync-d365.ts
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page, WebWorker } from 'puppeteer-core';
import { startDataverseSimulator, type DataverseSimulator, type RequestInfo } from '../support/dataverse-simulator';
import { KEEP_NAMES_SHIM, launchWithExtension, type ExtensionBrowser } from '../e2e/support/browser';
import { Figures, pollJob, reasonOf, step, withDeadline } from './harness';
import { BATCH_MAX } from '../../lib/sync/dynamics365/batch';
import { rawFetchLoop, type RawEntry } from './sync-raw';
import { drainThroughEngine, ensureDatabase } from './sync';

const CLIENT_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const CONCURRENCY = 4;

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/** Signs in from Node as the extension would: authorize (PKCE S256), then the code for tokens. */
export async function signInTo(sim: DataverseSimulator): Promise<Tokens> {
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(`${sim.authority}/oauth2/v2.0/authorize`);
  const redirect = 'https://benchbenchbenchbenchbenchbenc.chromiumapp.org/';
  for (const [name, value] of Object.entries({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: redirect,
    scope: `${sim.url}/user_impersonation offline_access`,
    state: 'bench',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  })) authorize.searchParams.set(name, value);
  const back = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location') ?? '');
  const answer = await fetch(`${sim.authority}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: CLIENT_ID, code: back.searchParams.get('code') ?? '', redirect_uri: redirect, code_verifier: verifier }),
  });
  const body = (await answer.json()) as { access_token: string; refresh_token: string };
  return { accessToken: body.access_token, refreshToken: body.refresh_token };
}

/** The settings and tokens rows as lib/sync/settings.ts and lib/sync/oauth/tokens.ts store them; none: nothing drains. */
export async function writeD365(page: Page, sim?: DataverseSimulator, tokens?: Tokens): Promise<void> {
  await page.evaluate(
    (url, authority, clientId, access, refresh) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('sidecase');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const tx = request.result.transaction('meta', 'readwrite');
          const meta = tx.objectStore('meta');
          meta.put({ key: 'backend', value: url ? { kind: 'dynamics365', url, clientId, authority } : { kind: 'none' } });
          if (url) {
            const now = Date.now();
            meta.put({
              key: `oauth:dynamics365 ${url}`,
              value: { state: 'signedIn', accessToken: access, refreshToken: refresh, expiresAt: now + 3_599_000, signedInAt: now },
            });
          }
          tx.oncomplete = () => {
            request.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    sim?.url ?? '',
    sim?.authority ?? '',
    CLIENT_ID,
    tokens?.accessToken ?? '',
    tokens?.refreshToken ?? '',
  );
}

/** Queues `records` valid cases × (created, updated), as createCase and an edit would. */
export async function queueCases(page: Page, records: number): Promise<void> {
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
    const salt = Math.floor(Math.random() * 2 ** 30);
    const tx = idb.transaction('outbox', 'readwrite');
    const store = tx.objectStore('outbox');
    let n = 0;
    for (let i = 0; i < count; i++) {
      const id = ulid(now - 1000, salt * 4096 + i);
      const created = {
        id,
        number: `CAS-${String(i).padStart(6, '0')}-BNCH`,
        title: `Bench case ${i}`,
        customerId: ulid(now - 2000, salt * 4096 + i),
        subject: '',
        origin: 'email',
        product: '',
        priority: 'normal',
        state: 'active',
        owner: 'Bench',
        tags: [],
        tagKeys: [],
        description: 'Measured by the bench.',
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      const updated = { ...created, priority: 'high', version: 2 };
      for (const [type, data] of [['case.created', created], ['case.updated', updated]] as const) {
        const entryId = ulid(now, salt * 8192 + n++);
        store.add({ id: entryId, entity: 'case', entityId: id, type, idempotencyKey: `case:${id}:${entryId}`, occurredAt: now, data, attempts: 0, nextAttemptAt: now });
      }
    }
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    idb.close();
  }, records);
}

/**
 * One change as the engine's Dynamics 365 adapter sends it: the create a POST
 * with the incident's id (the record's ULID as a GUID, dynamics365/guid.ts),
 * the update a PATCH with If-Match of the create's ETag.
 */
async function d365Send(entry: RawEntry, etag: string | null, ctx: { api: string; token: string }): Promise<string | null> {
  const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let value = 0n;
  for (const char of entry.entityId) value = value * 32n + BigInt(CROCKFORD.indexOf(char));
  const hex = value.toString(16).padStart(32, '0');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const data = entry.data as { title: string; description: string; priority: string };
  const columns = { title: data.title, description: data.description, prioritycode: data.priority === 'normal' ? 2 : 1 };
  const created = entry.type === 'case.created';
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'OData-MaxVersion': '4.0',
    'OData-Version': '4.0',
    Authorization: `Bearer ${ctx.token}`,
    'Content-Type': 'application/json; charset=utf-8',
    Prefer: 'return=representation',
  };
  if (!created) headers['If-Match'] = etag ?? '*';
  const response = await fetch(created ? `${ctx.api}/incidents?$select=incidentid` : `${ctx.api}/incidents(${id})?$select=incidentid`, {
    method: created ? 'POST' : 'PATCH',
    headers,
    body: JSON.stringify(created ? { ...columns, incidentid: id, caseorigincode: 2 } : { ...columns, caseorigincode: 2 }),
    redirect: 'manual',
    credentials: 'omit',
    cache: 'no-store',
  });
  const body = (await response.json()) as { '@odata.etag'?: string };
  if (!response.ok) throw new Error(`raw ${created ? 'POST' : 'PATCH'} answered ${response.status}`);
  return body['@odata.etag'] ?? null;
}

/** The plain loop (sync-raw.ts) in the service worker: per record a POST with the id, then a PATCH with If-Match; `limit` records at a time. */
export function rawFetchD365(worker: WebWorker, base: string, token: string, limit: number): Promise<{ count: number; ms: number }> {
  return rawFetchLoop(worker, 'raw_fetch_d365', '__benchRawD365', d365Send, { api: `${base}/api/data/v9.2`, token }, limit);
}

/**
 * The raw `$batch` loop (the engine's Dynamics 365 adapter sends `$batch` too): the same
 * changes as raw_fetch_d365, `size` records per `$batch` request, each change
 * a change set of its own (one change's failure fails only that change, as
 * the engine's per-record outcomes need) with Prefer: odata.continue-on-error:
 * first one batch of the group's creates, then one of their updates with
 * If-Match of each create's ETag; `limit` batches in flight. Run in the
 * service worker like the raw loop, reading the same outbox.
 */
async function batchLoop(job: { done: boolean; note?: string }, ctx: { api: string; token: string; size: number; limit: number; store?: boolean }) {
  const idb = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('sidecase');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  type Entry = { id: string; entityId: string; type: string; data: { title: string; description: string; priority: string } };
  const entries = await new Promise<Entry[]>((resolve, reject) => {
    const request = idb.transaction('outbox').objectStore('outbox').getAll();
    request.onsuccess = () => resolve(request.result as Entry[]);
    request.onerror = () => reject(request.error);
  });
  /**
   * `store` (raw_batch_stored_d365): the least any engine must write, and nothing more: once a
   * group's updates are answered, one transaction that deletes the group's entries (one range: they
   * lie side by side) and puts each record's sync row once (raw IndexedDB, no Dexie), not awaited
   * before the next batch (the engine's lanes do not wait for its committer either).
   */
  const writes: Array<Promise<void>> = [];
  const store = (group: Array<{ created: Entry; updated: Entry }>, answers: Array<{ etag: string | null }>) => {
    if (!ctx.store) return;
    const ids = group.flatMap(({ created, updated }) => [created.id, updated.id]).sort();
    writes.push(
      new Promise<void>((resolve, reject) => {
        const tx = idb.transaction(['outbox', 'syncRecords'], 'readwrite');
        const rows = tx.objectStore('syncRecords');
        const at = Date.now();
        group.forEach(({ updated }, i) => rows.put({ entity: 'case', entityId: updated.entityId, status: 'synced', etag: answers[i]?.etag ?? undefined, lastSyncedAt: at }));
        tx.objectStore('outbox').delete(IDBKeyRange.bound(ids[0], ids.at(-1)));
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      }),
    );
  };

  const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const guid = (ulid: string) => {
    let value = 0n;
    for (const char of ulid) value = value * 32n + BigInt(CROCKFORD.indexOf(char));
    const hex = value.toString(16).padStart(32, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
  const records = new Map<string, { created?: Entry; updated?: Entry }>();
  for (const entry of entries) {
    const record = records.get(entry.entityId) ?? {};
    if (entry.type === 'case.created') record.created = entry;
    else record.updated = entry;
    records.set(entry.entityId, record);
  }
  const groups: Array<Array<{ created: Entry; updated: Entry }>> = [];
  let group: Array<{ created: Entry; updated: Entry }> = [];
  for (const record of records.values()) {
    group.push(record as { created: Entry; updated: Entry });
    if (group.length === ctx.size) {
      groups.push(group);
      group = [];
    }
  }
  if (group.length) groups.push(group);
  const columns = (entry: Entry) => ({ title: entry.data.title, description: entry.data.description, prioritycode: entry.data.priority === 'normal' ? 2 : 1, caseorigincode: 2 });
  /** One $batch of change sets (one request each); the answers' status and ETag, in order. */
  const sendBatch = async (requests: Array<{ method: string; url: string; body: unknown; ifMatch?: string }>) => {
    const boundary = `batch_${Math.random().toString(36).slice(2)}`;
    let body = '';
    requests.forEach((request, i) => {
      const changeset = `changeset_${i}_${boundary}`;
      body +=
        `--${boundary}\r\nContent-Type: multipart/mixed; boundary=${changeset}\r\n\r\n` +
        `--${changeset}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: ${i + 1}\r\n\r\n` +
        `${request.method} ${request.url} HTTP/1.1\r\nContent-Type: application/json; charset=utf-8\r\nPrefer: return=representation\r\n` +
        (request.ifMatch ? `If-Match: ${request.ifMatch}\r\n` : '') +
        `\r\n${JSON.stringify(request.body)}\r\n--${changeset}--\r\n`;
    });
    body += `--${boundary}--\r\n`;
    const response = await fetch(`${ctx.api}/$batch`, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'OData-MaxVersion': '4.0',
        'OData-Version': '4.0',
        Authorization: `Bearer ${ctx.token}`,
        'Content-Type': `multipart/mixed; boundary=${boundary}`,
        Prefer: 'odata.continue-on-error',
      },
      body,
      redirect: 'manual',
      credentials: 'omit',
      cache: 'no-store',
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`$batch answered ${response.status}`);
    const answers = [...text.matchAll(/HTTP\/1\.1 (\d{3})[^\n]*\n(?:[^\n]*\n)*?\r?\n(\{[^\n]*\})?/g)].map((m) => ({
      status: Number(m[1]),
      etag: m[2] ? ((JSON.parse(m[2]) as { '@odata.etag'?: string })['@odata.etag'] ?? null) : null,
    }));
    if (answers.length !== requests.length || answers.some((a) => a.status >= 300)) throw new Error(`$batch: ${answers.filter((a) => a.status < 300).length} of ${requests.length} applied`);
    return answers;
  };
  const start = performance.now();
  let next = 0;
  let sent = 0;
  const work = async () => {
    while (next < groups.length) {
      const records = groups[next++]!;
      const created = await sendBatch(records.map(({ created }) => ({ method: 'POST', url: `${ctx.api}/incidents?$select=incidentid`, body: { ...columns(created), incidentid: guid(created.entityId) } })));
      sent += records.length;
      const updated = await sendBatch(records.map(({ updated }, i) => ({ method: 'PATCH', url: `${ctx.api}/incidents(${guid(updated.entityId)})?$select=incidentid`, body: columns(updated), ifMatch: created[i]!.etag ?? '*' })));
      store(records, updated);
      sent += records.length;
      job.note = `${sent} of ${entries.length} sent`;
    }
  };
  await Promise.all(Array.from({ length: ctx.limit }, work));
  await Promise.all(writes);
  idb.close();
  return { count: entries.length, ms: performance.now() - start };
}

/** The $batch prototype in the service worker: `size` records per batch, `limit` batches at a time. */
export async function rawBatchD365(worker: WebWorker, base: string, token: string, size: number, limit: number, store = false): Promise<{ count: number; ms: number }> {
  await worker.evaluate(KEEP_NAMES_SHIM);
  await worker.evaluate(`(() => {
    const job = { done: false, note: 'reading the outbox' };
    globalThis.__benchBatchD365 = job;
    const batchLoop = ${batchLoop.toString()};
    batchLoop(job, ${JSON.stringify({ api: `${base}/api/data/v9.2`, token, size, limit, store })}).then(
      (result) => Object.assign(job, { done: true, result }),
      (error) => Object.assign(job, { done: true, error: String(error?.message ?? error) }),
    );
  })()`);
  return pollJob(worker, '__benchBatchD365', 'batch_d365', 180_000, 30_000);
}

/**
 * BENCH_VERBOSE: where a drain's time went, from the simulator's log: "Sync now" → the first
 * request, the batches (how many, their mean spacing), the last answer → the outbox seen empty.
 */
function timeline(log: readonly RequestInfo[], engine: { startedAt: number; emptyAt: number }): string {
  const batches = log.filter((r) => r.path === '/$batch' && r.at !== undefined);
  const outer = log.filter((r) => !r.inBatch && r.at !== undefined);
  if (!outer.length || !batches.length) return 'no requests logged';
  const first = outer[0]!.at!;
  const lastAnswer = Math.max(...batches.map((r) => r.answeredAt ?? r.at!));
  const spacing = batches.length > 1 ? (batches.at(-1)!.at! - batches[0]!.at!) / (batches.length - 1) : 0;
  return (
    `first request ${first - engine.startedAt} ms after Sync now (${outer.map((r) => r.path).filter((p) => p !== '/$batch').join(', ')} outside batches), ` +
    `${batches.length} batches ${spacing.toFixed(1)} ms apart, the last batch answered ${lastAnswer - first} ms after the first request, ` +
    `outbox seen empty ${engine.emptyAt - lastAnswer} ms after it`
  );
}

/** `extensionDir` with a blank.html (run.ts adds one): "Sync now" is sent from it, as in sync.ts, so no live query of the options page competes with the drain. */
export async function benchSyncD365(ext: ExtensionBrowser, figures: Figures, extensionDir?: string): Promise<void> {
  const records = Number(process.env.BENCH_D365_RECORDS ?? 1_000);
  const runs = Number(process.env.BENCH_D365_RUNS ?? 3);
  /**
   * raw_batch_d365: the same changes in `$batch` requests of BATCH_MAX records, as the engine sends them
   * (lib/sync/dynamics365/batch.ts); BENCH_D365_BATCH=N another size, 0 none.
   */
  const batchSize = Number(process.env.BENCH_D365_BATCH ?? BATCH_MAX);
  const batch: number[] = [];
  /** raw_batch_stored_d365, beside raw_batch_d365: how much of the drain's time storage alone takes. */
  const withStorage = process.env.BENCH_D365_STORED !== '0';
  const stored: number[] = [];
  /**
   * Runs with the one-request loop (raw_fetch_d365): 5–12 s each, most of this phase's time on a
   * 2-core machine, and the drain sends 4–6 × its changes a second; the same-batch loop, the
   * yardstick the drain is held to, runs every time. BENCH_D365_RAW_RUNS=N for more.
   */
  const rawRuns = Math.min(runs, Number(process.env.BENCH_D365_RAW_RUNS ?? 1));
  const hasBlank = extensionDir !== undefined && fs.existsSync(path.join(extensionDir, 'blank.html'));
  await ensureDatabase(ext);
  const page = await ext.openPage(hasBlank ? 'blank.html' : 'options.html');
  const drain: number[] = [];
  const raw: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      // Whatever the other phases left queued goes first, unmeasured, to a simulator of its own.
      const warm = await startDataverseSimulator();
      await writeD365(page, warm, await signInTo(warm));
      await drainThroughEngine(page, `d365 run ${run + 1}: sending the leftovers`);
      await warm.close();

      await writeD365(page);
      step(`sync-d365: run ${run + 1}, queueing ${records * 2} changes`);
      await withDeadline(queueCases(page, records), 60_000, 'queueing the changes');
      const line: string[] = [];
      if (run < rawRuns) {
        const rawSim = await startDataverseSimulator();
        const plain = await rawFetchD365(await ext.serviceWorker(), rawSim.url, (await signInTo(rawSim)).accessToken, CONCURRENCY);
        if (rawSim.rows('incidents').length !== records) throw new Error(`raw_fetch_d365 made ${rawSim.rows('incidents').length} of ${records} incidents`);
        await rawSim.close();
        raw.push(plain.count / (plain.ms / 1000));
        line.push(`one request each ${plain.count} in ${Math.round(plain.ms)} ms`);
      }
      let batchedMs: number | undefined;
      if (batchSize > 0) {
        // The $batch prototype reads the same outbox (the raw loops leave it as it is).
        const batchSim = await startDataverseSimulator();
        const batched = await rawBatchD365(await ext.serviceWorker(), batchSim.url, (await signInTo(batchSim)).accessToken, batchSize, CONCURRENCY);
        const rows = batchSim.rows('incidents');
        if (rows.length !== records || rows.some((row) => row.prioritycode !== 1)) throw new Error(`raw_batch_d365 left ${rows.length} incidents of ${records}`);
        await batchSim.close();
        batch.push(batched.count / (batched.ms / 1000));
        batchedMs = batched.ms;
        line.push(`$batch of ${batchSize} records ${batched.count} in ${Math.round(batched.ms)} ms`);
      }

      let storedMs: number | undefined;
      if (batchSize > 0 && withStorage) {
        // It empties the outbox as the engine would: the changes are queued again for the engine.
        const storedSim = await startDataverseSimulator();
        const written = await rawBatchD365(await ext.serviceWorker(), storedSim.url, (await signInTo(storedSim)).accessToken, batchSize, CONCURRENCY, true);
        if (storedSim.rows('incidents').length !== records) throw new Error(`raw_batch_stored_d365 made ${storedSim.rows('incidents').length} of ${records} incidents`);
        await storedSim.close();
        stored.push(written.count / (written.ms / 1000));
        storedMs = written.ms;
        line.push(`with their storage ${written.count} in ${Math.round(written.ms)} ms`);
        await withDeadline(queueCases(page, records), 60_000, 'queueing the changes again');
      }
      const syncSim = await startDataverseSimulator();
      await writeD365(page, syncSim, await signInTo(syncSim));
      const engine = await drainThroughEngine(page, `d365 run ${run + 1}: sync_drain_d365`);
      const incidents = syncSim.rows('incidents');
      if (incidents.length !== records || incidents.some((row) => row.prioritycode !== 1)) {
        throw new Error(`sync_drain_d365 left ${incidents.length} incidents of ${records}, ${incidents.filter((row) => row.prioritycode !== 1).length} not updated`);
      }
      if (process.env.BENCH_VERBOSE) console.log(`  d365 run ${run + 1}: ${timeline(syncSim.requests(), engine)}`);
      await syncSim.close();
      drain.push(engine.sent / (engine.ms / 1000));
      // The machine may be shared: the ratio within one run says more than either figure alone.
      const versus = [
        batchedMs === undefined ? '' : `× ${(batchedMs / engine.ms).toFixed(2)} the same batches`,
        storedMs === undefined ? '' : `× ${(storedMs / engine.ms).toFixed(2)} with their storage`,
      ].filter(Boolean);
      const versusText = versus.length ? ` (${versus.join(', ')})` : '';
      console.log(`  d365 run ${run + 1}: ${[...line, `engine ${engine.sent} in ${Math.round(engine.ms)} ms${versusText}`].join(', ')}`);
    }
  } finally {
    await writeD365(page).catch(() => {});
    await page.close().catch(() => {});
  }
  const d = figures.add('sync_drain_d365', drain, 'changes/s');
  if (raw.length) {
    const r = figures.add('raw_fetch_d365', raw, 'changes/s');
    figures.target('sync_drain_d365 ≥ 0.8 × raw_fetch_d365', d.median >= 0.8 * r.median, `${d.median} vs ${Math.round(0.8 * r.median * 100) / 100} changes/s`);
  }
  if (batch.length) {
    // The engine sends $batch requests: the raw loop sending the same batches is the like-for-like baseline.
    const b = figures.add('raw_batch_d365', batch, 'changes/s');
    figures.target('sync_drain_d365 ≥ 0.8 × raw_batch_d365', d.median >= 0.8 * b.median, `${d.median} vs ${Math.round(0.8 * b.median * 100) / 100} changes/s`);
  }
  // No target of its own: it says how far the engine is from what storage alone allows.
  if (stored.length) figures.add('raw_batch_stored_d365', stored, 'changes/s');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = new Figures();
  let failed = false;
  const ext = await launchWithExtension();
  try {
    await withDeadline(benchSyncD365(ext, figures), 600_000, 'the Dynamics 365 sync bench');
  } catch (error) {
    console.log(`sync-d365 bench failed: ${reasonOf(error)}`);
    failed = true;
  } finally {
    await withDeadline(ext.close(), 30_000, 'closing Chromium').catch(() => ext.browser.process()?.kill('SIGKILL'));
  }
  figures.print();
  process.exit(failed ? 1 : 0);
}
