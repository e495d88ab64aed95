import { describe, expect, it } from 'vitest';
import { readCapped } from '../../../lib/net/read-capped';

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
});
