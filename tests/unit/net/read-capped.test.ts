import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readCapped } from '../../../lib/net/read-capped';

/** A server on 127.0.0.1 answering every request with `body` and `headers`, as a backend would. */
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});
async function answering(body: Buffer, headers: Record<string, string>): Promise<string> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** A fetched answer whose reading is watched: whether it was streamed chunk by chunk or taken in one arrayBuffer(). */
async function fetchWatched(url: string) {
  const response = await fetch(url);
  const streamed = vi.spyOn(response.body!, 'getReader');
  const whole = vi.spyOn(response, 'arrayBuffer');
  return { response, streamed, whole };
}

/** A streamed body of `chunks` (each `size` bytes of `fill`), that records how many chunks were pulled and whether it was cancelled. */
function streamed(chunks: number, size: number, headers: Record<string, string> = {}) {
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled === chunks) return controller.close();
      controller.enqueue(new Uint8Array(size).fill(seen.pulled++ % 256));
    },
    cancel() {
      seen.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { response: new Response(body, { headers }), seen };
}

describe('readCapped', () => {
  it('reads a body of exactly the cap whole, chunk after chunk in order', async () => {
    const { response } = streamed(4, 256);
    const bytes = await readCapped(response, 1024);
    expect(bytes?.byteLength).toBe(1024);
    expect([bytes![0], bytes![256], bytes![512], bytes![1023]]).toEqual([0, 1, 2, 3]);
  });

  it('refuses a declared size above the cap without reading a byte', async () => {
    const { response, seen } = streamed(4, 256, { 'content-length': '1025' });
    expect(await readCapped(response, 1024)).toBeUndefined();
    expect(seen.pulled).toBe(0);
  });

  it('stops at the first chunk past the cap when the header lies, and cancels the rest', async () => {
    // Declares 10 bytes, sends 100 chunks of 256: the count, not the header, decides.
    const { response, seen } = streamed(100, 256, { 'content-length': '10' });
    expect(await readCapped(response, 1024)).toBeUndefined();
    expect(seen.pulled).toBe(5);
    expect(seen.cancelled).toBe(true);
  });

  it('answers an empty body with no bytes', async () => {
    expect((await readCapped(new Response(null), 10))?.byteLength).toBe(0);
  });

  it('stops reading when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('timed out'));
    const { response } = streamed(4, 256);
    await expect(readCapped(response, 1024, controller.signal)).rejects.toThrow('timed out');
  });

  it('takes a plain answer whose length it was told in one piece, capped all the same', async () => {
    const body = Buffer.alloc(3000, 7);
    body[2999] = 9;
    const url = await answering(body, { 'content-type': 'application/json', 'content-length': String(body.length) });
    const { response, whole } = await fetchWatched(url);
    expect(response.type).toBe('basic');
    const bytes = await readCapped(response, 3000);
    expect(bytes?.byteLength).toBe(3000);
    expect([bytes![0], bytes![2999]]).toEqual([7, 9]);
    // (Node's arrayBuffer() reads the stream itself: only the call says which way it went.)
    expect(whole).toHaveBeenCalledTimes(1);
    // One byte over the cap: refused on its header, unread.
    const over = await fetchWatched(url);
    expect(await readCapped(over.response, 2999)).toBeUndefined();
    expect(over.whole).not.toHaveBeenCalled();
  });

  it.each([
    ['gzip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
  ] as const)('streams a %s answer through the cap: its small Content-Length is not its decoded size', async (encoding, compress) => {
    // 64 KB of zeros, a few hundred bytes on the wire.
    const wire = compress(Buffer.alloc(64 * 1024));
    const url = await answering(wire, { 'content-type': 'application/json', 'content-encoding': encoding, 'content-length': String(wire.length) });
    const { response, streamed, whole } = await fetchWatched(url);
    expect(wire.length).toBeLessThan(1024);
    expect(await readCapped(response, 1024)).toBeUndefined();
    expect(streamed).toHaveBeenCalled();
    expect(whole).not.toHaveBeenCalled();
    // Under a cap it fits, the decoded body, whole.
    const fits = await fetchWatched(url);
    expect((await readCapped(fits.response, 64 * 1024))?.byteLength).toBe(64 * 1024);
  });
});
