/**
 * A response body read with a size cap: what the sync client, the Zendesk
 * client and "Attach image to case" each need from an answer they do not
 * trust. The cap is checked on Content-Length first (a declared size above it
 * is refused without reading) and again on every chunk as it arrives: the
 * header is the size on the wire, and a 255 KB gzip answer can decode to
 * 256 MB, so one arrayBuffer() on the strength of a small header is never
 * taken.
 */

/** The whole body, or undefined when it is larger than `maxBytes` (the rest is not read). `signal` stops the reading. */
export async function readCapped(response: Response, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array | undefined> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    return undefined;
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  // A small answer mostly arrives in one chunk: that chunk is the body, no copy needed.
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
