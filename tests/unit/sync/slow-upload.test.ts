/**
 * A large attachment on a slow link. The request timeout is meant for a
 * backend that stopped answering, not for bytes still on their way: an upload
 * gets the time its size needs at a slow link's rate on top of it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { addAttachments } from '../../../lib/attachments/attachments';
import { createCase } from '../../../lib/cases/create';
import { SidecaseDb } from '../../../lib/db/db';
import { drainOutbox } from '../../../lib/sync/engine';
import { guardedRequest, uploadDeadlineMs } from '../../../lib/sync/http';
import { syncSummary } from '../../../lib/sync/status';
import type { BackendSettings } from '../../../lib/sync/settings';
import { caseInput } from '../cases/helpers';

const TOKEN = 'tok_slow_upload_0123456789';
const T0 = Date.UTC(2025, 11, 1, 9, 0, 0);
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A backend on 127.0.0.1 that reads request bodies at `bytesPerSecond`, as a slow uplink delivers them. */
async function slowBackend(bytesPerSecond: number) {
  const received: Array<{ url: string; bytes: number }> = [];
  const server = http.createServer((req, res) => {
    let bytes = 0;
    const started = Date.now();
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      // Hold the socket until this many bytes would have arrived at the link's rate.
      const due = started + (bytes / bytesPerSecond) * 1000;
      const wait = due - Date.now();
      if (wait > 0) {
        req.pause();
        setTimeout(() => req.resume(), wait);
      }
    });
    req.on('end', () => {
      received.push({ url: req.url ?? '', bytes });
      res.writeHead(200, { 'content-type': 'application/json', etag: '"v1"' });
      res.end('{"version":1}');
    });
  });
  // The socket buffers of the loopback are large: keep them small, so that the rate above is the link's.
  server.on('connection', (socket) => socket.setNoDelay(true));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

describe('a large upload on a slow link', () => {
  it('is delivered when it takes longer than the request timeout but keeps moving', async () => {
    // A 1.5 MB photo at 512 KB/s: about 3 s, six times the 500 ms the test gives a request.
    const backend = await slowBackend(512 * 1024);
    const settings: BackendSettings = { kind: 'rest', url: backend.url, auth: { type: 'bearer', token: TOKEN } };
    const db = new SidecaseDb(`slow-upload-${Math.random()}`);
    const { case: created } = await createCase(caseInput({ title: 'Photo of the damage' }), { actor: 'Eva', db, now: T0 });
    const photo = new File([new Uint8Array(1536 * 1024).fill(9)], 'damage.jpg', { type: 'image/jpeg' });
    const [attachment] = await addAttachments(created.id, [photo], { db, now: T0 + 1, uploadedBy: 'Eva' });
    // Only the upload is sent: the case and its customer are not what this is about.
    await db.outbox.where('entity').notEqual('attachment').delete();

    const started = Date.now();
    const result = await drainOutbox({ db, settings, now: () => T0 + 2, timeoutMs: 500 });
    const took = Date.now() - started;

    expect(result).toMatchObject({ sent: 1, retried: 0, failed: 0 });
    expect(backend.received.find((r) => r.url.includes(`/attachments/${attachment!.id}`))?.bytes).toBe(1536 * 1024);
    expect(took).toBeGreaterThan(1500);
    expect(await db.outbox.count()).toBe(0);
  });

  it('says in the sync status which file is on its way, how big, and since when, until it is delivered', async () => {
    const backend = await slowBackend(512 * 1024);
    const settings: BackendSettings = { kind: 'rest', url: backend.url, auth: { type: 'bearer', token: TOKEN } };
    const db = new SidecaseDb(`slow-upload-status-${Math.random()}`);
    const { case: created } = await createCase(caseInput({ title: 'Scan of the invoice' }), { actor: 'Eva', db, now: T0 });
    const scan = new File([new Uint8Array(1536 * 1024).fill(3)], 'invoice-scan.png', { type: 'image/png' });
    await addAttachments(created.id, [scan], { db, now: T0 + 1, uploadedBy: 'Eva' });
    await db.outbox.where('entity').notEqual('attachment').delete();

    const sent = Date.now();
    const drain = drainOutbox({ db, settings, timeoutMs: 500 });
    let seen: Awaited<ReturnType<typeof syncSummary>>['uploading'];
    while (!seen && Date.now() - sent < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = (await syncSummary(db)).uploading;
    }
    expect(seen).toEqual({ name: 'invoice-scan.png', bytes: 1536 * 1024, since: expect.any(Number) });
    expect(Math.abs(seen!.since - sent)).toBeLessThan(1000);
    expect(await drain).toMatchObject({ sent: 1 });
    expect((await syncSummary(db)).uploading).toBeUndefined();
  });

  it('still gives up on an answer that stops moving, after the request timeout', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"version":');
      // …and nothing more.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cases/1`;
    const started = Date.now();
    const result = await guardedRequest({ fetch: globalThis.fetch, now: Date.now, timeoutMs: 300 }, url, { method: 'GET' }, { readBody: true });
    expect(result).toEqual({ kind: 'network', timedOut: true });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('allows an upload the time its size needs at a slow link, on top of the timeout', () => {
    // A record's JSON gets the timeout alone, as before.
    expect(uploadDeadlineMs(15_000, 0)).toBe(15_000);
    expect(uploadDeadlineMs(15_000, 64 * 1024)).toBe(15_000);
    // 25 MB (the largest attachment by default) at 32 KB/s, about a quarter of a megabit, past the first 64 KB.
    expect(uploadDeadlineMs(15_000, 25 * 1024 * 1024)).toBe(15_000 + 800_000 - 2_000);
  });
});
