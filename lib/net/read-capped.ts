/**
 * A response body read with a size cap: what the sync client, the Zendesk
 * client and "Attach image to case" each need from an answer they do not
 * trust. The cap is checked on Content-Length first (a declared size above it
 * is refused without reading) and again on every chunk as it arrives: the
 * header is the size on the wire, and a 255 KB gzip answer can decode to
 * 256 MB, so one arrayBuffer() on the strength of a small header is taken
 * only when the header is the body's size (hasKnownSize): a stream read costs
 * a promise per chunk, arrayBuffer() none.
 */

/**
 * The body is exactly its Content-Length: an answer off the network ('basic':
 * not a Response made in code, whose headers can say anything, nor a
 * cross-origin 'cors' one, whose Content-Encoding may be hidden), framed by
 * that length, and not content-encoded (a compressed body decodes to more
 * than its Content-Length; an answer without a length streams).
 */
function hasKnownSize(response: Response, declared: number): boolean {
  return response.type === 'basic' && Number.isSafeInteger(declared) && declared >= 0 && !response.headers.has('content-encoding');
}

/** The whole body, or undefined when it is larger than `maxBytes` (the rest is not read). `signal` stops the reading. */
export async function readCapped(response: Response, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array | undefined> {
  const length = response.headers.get('content-length');
  const declared = length === null ? NaN : Number(length);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    return undefined;
  }
  if (!response.body) return new Uint8Array();
  if (hasKnownSize(response, declared)) {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    // The network ends the body at its Content-Length; the cap is checked on what came all the same.
    const body = new Uint8Array(await response.arrayBuffer());
    return body.byteLength > maxBytes ? undefined : body;
  }
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
