import { describe, expect, it } from 'vitest';
import { guardedRequest, jsonBody } from '../../../lib/sync/http';

const io = (fetch: typeof globalThis.fetch, timeoutMs = 1000) => ({ fetch, now: () => 0, timeoutMs });

describe('guarded requests', () => {
  it("refuses a browser's opaque redirect answer", async () => {
    const opaque = { type: 'opaqueredirect', status: 0, redirected: false, url: '', headers: new Headers(), body: null } as unknown as Response;
    expect(await guardedRequest(io(async () => opaque), 'https://crm.example/cases/1', {})).toEqual({ kind: 'redirect' });
  });

  it('refuses an answer that was followed to another origin, accepts one that stayed', async () => {
    const followed = (url: string) => {
      const response = new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
      Object.defineProperty(response, 'redirected', { value: true });
      Object.defineProperty(response, 'url', { value: url });
      return response;
    };
    expect(await guardedRequest(io(async () => followed('https://evil.example/x')), 'https://crm.example/a', {})).toEqual({ kind: 'redirect' });
    expect((await guardedRequest(io(async () => followed('https://crm.example/b')), 'https://crm.example/a', {})).kind).toBe('response');
  });

  it('times out a backend that never answers', async () => {
    const never: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    expect(await guardedRequest(io(never, 20), 'https://crm.example/a', {})).toEqual({ kind: 'network', timedOut: true });
  });

  it('times out each request at its own deadline: a short one started while a long one is out too', async () => {
    const never: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    let answerSlow = () => {};
    const slow: typeof fetch = () => new Promise((resolve) => (answerSlow = () => resolve(new Response(null, { status: 204 }))));
    const long = guardedRequest(io(slow, 60_000), 'https://crm.example/slow', {});
    const started = performance.now();
    // The later deadline first, then an earlier one: each times out at its own.
    const later = guardedRequest(io(never, 60), 'https://crm.example/b', {});
    const earlier = guardedRequest(io(never, 20), 'https://crm.example/a', {});
    expect(await Promise.all([earlier, later])).toEqual([{ kind: 'network', timedOut: true }, { kind: 'network', timedOut: true }]);
    expect(performance.now() - started).toBeLessThan(2_000);
    // The long one was not cut short by the others' deadlines.
    answerSlow();
    expect(await long).toMatchObject({ kind: 'response', status: 204 });
  });

  it('reads JSON only when the server says it is JSON', async () => {
    const answer = (body: string, type: string) => async () => new Response(body, { status: 200, headers: { 'content-type': type } });
    const html = await guardedRequest(io(answer('<html>{}</html>', 'text/html')), 'https://a.example', {}, { readBody: true });
    const json = await guardedRequest(io(answer('{"a":1}', 'application/json; charset=utf-8')), 'https://a.example', {}, { readBody: true });
    const broken = await guardedRequest(io(answer('{"a":', 'application/json')), 'https://a.example', {}, { readBody: true });
    expect(html.kind === 'response' && jsonBody(html)).toBeUndefined();
    expect(json.kind === 'response' && jsonBody(json)).toEqual({ a: 1 });
    expect(broken.kind === 'response' && jsonBody(broken)).toBeUndefined();
  });

  it('does not read a body that declares itself too long', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const big = async () => new Response(stream, { status: 200, headers: { 'content-length': String(50 * 1024 * 1024) } });
    const result = await guardedRequest({ ...io(big), maxBodyBytes: 1024 * 1024 }, 'https://a.example', {}, { readBody: true });
    expect(result).toMatchObject({ kind: 'response', bodyTooLarge: true, body: undefined });
    expect(pulled).toBeLessThan(5);
  });

  it('stops at the cap a compressed answer whose declared length is small', async () => {
    // Content-Length is the size on the wire: 255 KB of gzip may decode to 256 MB.
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled > 64) controller.close();
        else controller.enqueue(new Uint8Array(256 * 1024));
      },
    });
    const gzip = async () =>
      new Response(stream, { status: 200, headers: { 'content-length': String(255 * 1024), 'content-encoding': 'gzip', 'content-type': 'application/json' } });
    const result = await guardedRequest({ ...io(gzip), maxBodyBytes: 1024 * 1024 }, 'https://a.example', {}, { readBody: true });
    // Sizes, not the body itself: a diff of 16 MB of bytes would never finish printing.
    expect(result.kind === 'response' && { bodyTooLarge: result.bodyTooLarge, bodyBytes: result.body?.byteLength }).toEqual({
      bodyTooLarge: true,
      bodyBytes: undefined,
    });
    expect(pulled).toBeLessThan(10);
  });

  it('ends the request whatever way it returns, so no unread body keeps the connection open', async () => {
    const signals: AbortSignal[] = [];
    const answer: typeof fetch = async (_input, init) => {
      signals.push(init!.signal!);
      return new Response(new ReadableStream({ pull: (controller) => controller.enqueue(new Uint8Array(1024)) }), { status: 200 });
    };
    const unread = await guardedRequest(io(answer, 60_000), 'https://a.example', {});
    const tooLarge = await guardedRequest({ ...io(answer, 60_000), maxBodyBytes: 4096 }, 'https://a.example', {}, { readBody: true });
    expect(unread).toMatchObject({ kind: 'response', status: 200 });
    expect(tooLarge).toMatchObject({ kind: 'response', bodyTooLarge: true });
    expect(signals.map((signal) => signal.aborted)).toEqual([true, true]);
  });
});
