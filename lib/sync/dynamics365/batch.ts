/**
 * `$batch` for the writes of a drain (learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api):
 * writes that wait for a place among the requests in flight go out together,
 * one `POST $batch` of up to BATCH_MAX writes, instead of one request each.
 *
 * Every write is a change set of its own and the batch carries
 * `Prefer: odata.continue-on-error`: a refused write fails alone and each
 * write gets its own answer, which goes back to the code that asked for it
 * as if it had been sent alone (the adapter reads it as before: a duplicate
 * key on a create is "already there", a 412 on an update is a conflict or our
 * own echo). An answer to the batch itself (429, 503, 401, a lost
 * connection) is the answer of each of its writes: each is retried, as it
 * would be alone, and each is safe to send again (a create carries its id,
 * an update its If-Match).
 *
 * Order per record is the engine's: a record's next change is asked for only
 * once its last one is answered, so it goes in a later batch.
 */
import { guardedRequest, type HttpIo, type HttpResult } from '../http';

/** Writes per `$batch` (Dataverse takes up to 1,000; a batch also runs as one request's time at the service). */
export const BATCH_MAX = 50;
/** A write with a larger body (a file) goes alone, with the upload allowance of a request of its own. */
export const BATCH_BODY_MAX = 64 * 1024;
/** The bodies of one batch together stay under this. */
const BATCH_BYTES_MAX = 512 * 1024;

export interface Write {
  method: string;
  /** Absolute URL of the request. */
  url: string;
  /** The request's own headers (Authorization and the OData versions are the batch's). */
  headers: Record<string, string>;
  body?: string;
}

interface Waiting {
  write: Write;
  resolve: (result: HttpResult) => void;
}

export interface Batcher {
  /** Sends one request: alone, or in a `$batch` with others waiting at the same time. */
  send(write: Write): Promise<HttpResult>;
}

/**
 * At most `maxInFlight` requests out at once, a batch counting one. A write
 * waits until a place is free; the writes waiting then go together.
 * `headersOf` gives the headers every request carries (the token) when it is sent.
 */
export function createBatcher(io: HttpIo, batchUrl: string, maxInFlight: number, headersOf: () => Record<string, string>): Batcher {
  const waiting: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;

  const schedule = () => {
    if (scheduled || inFlight >= maxInFlight || waiting.length === 0) return;
    scheduled = true;
    // After the tasks queued now: the lanes answered by the last batch ask for their next write within it.
    setTimeout(dispatch, 0);
  };

  const dispatch = () => {
    scheduled = false;
    while (inFlight < maxInFlight && waiting.length > 0) {
      const group = takeGroup(waiting);
      inFlight += 1;
      void sendGroup(group).finally(() => {
        inFlight -= 1;
        schedule();
      });
    }
  };

  async function sendGroup(group: Waiting[]): Promise<void> {
    let results: HttpResult[];
    try {
      const headers = headersOf();
      results = group.length === 1 ? [await sendAlone(io, group[0]!.write, headers)] : await sendBatch(io, batchUrl, group.map((w) => w.write), headers);
    } catch {
      results = group.map(() => ({ kind: 'network', timedOut: false }));
    }
    group.forEach((waiter, i) => waiter.resolve(results[i] ?? { kind: 'network', timedOut: false }));
  }

  return {
    send(write) {
      // A large body (a file) goes alone, now: its time allowance is its own.
      if ((write.body?.length ?? 0) > BATCH_BODY_MAX) return sendAlone(io, write, headersOf());
      return new Promise<HttpResult>((resolve) => {
        waiting.push({ write, resolve });
        schedule();
      });
    },
  };
}

function takeGroup(waiting: Waiting[]): Waiting[] {
  let bytes = 0;
  let n = 0;
  while (n < waiting.length && n < BATCH_MAX) {
    bytes += waiting[n]!.write.body?.length ?? 0;
    if (n > 0 && bytes > BATCH_BYTES_MAX) break;
    n += 1;
  }
  return waiting.splice(0, n);
}

function sendAlone(io: HttpIo, write: Write, headers: Record<string, string>): Promise<HttpResult> {
  return guardedRequest(io, write.url, { method: write.method, headers: { ...headers, ...write.headers }, body: write.body }, { readBody: true, readErrorBody: true });
}

/** The `$batch` body: each write a change set of its own, in order. */
export function batchBodyOf(writes: Write[], boundary: string): string {
  let body = '';
  writes.forEach((write, i) => {
    const changeset = `changeset_${i + 1}_${boundary}`;
    const headers = Object.entries(write.headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    body +=
      `--${boundary}\r\nContent-Type: multipart/mixed; boundary=${changeset}\r\n\r\n` +
      `--${changeset}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: ${i + 1}\r\n\r\n` +
      `${write.method} ${write.url} HTTP/1.1\r\n${headers}\r\n${write.body ?? ''}\r\n--${changeset}--\r\n`;
  });
  return `${body}--${boundary}--\r\n`;
}

async function sendBatch(io: HttpIo, batchUrl: string, writes: Write[], headers: Record<string, string>): Promise<HttpResult[]> {
  const boundary = `batch_${crypto.randomUUID()}`;
  const result = await guardedRequest(
    io,
    batchUrl,
    {
      method: 'POST',
      headers: { ...headers, 'Content-Type': `multipart/mixed; boundary=${boundary}`, Prefer: 'odata.continue-on-error' },
      body: batchBodyOf(writes, boundary),
    },
    { readBody: true, readErrorBody: true },
  );
  // The batch refused or lost as a whole (429, 503, 401, no answer): that is each write's answer.
  if (result.kind !== 'response' || result.status !== 200) return writes.map(() => result);
  const answers = result.body && !result.bodyTooLarge ? answersOf(result.headers.get('content-type') ?? '', utf8.decode(result.body)) : [];
  // A write without an answer may or may not have been applied: sent again, as after a lost answer.
  return writes.map((_, i) => answers[i] ?? { kind: 'network', timedOut: false });
}

const utf8 = new TextDecoder();
const encoder = new TextEncoder();

/**
 * The answers of a `batchresponse`, in order: a change set's answer (a
 * multipart of its own, one answer per request; ours hold one) or a failed
 * change set's error alone.
 */
export function answersOf(contentType: string, text: string): HttpResult[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) return [];
  return partsOf(text, boundary).map((part) => {
    const { contentType, body } = splitMimePart(part);
    const inner = boundaryOf(contentType);
    if (inner) {
      const [first] = partsOf(body, inner);
      return first === undefined ? { kind: 'network', timedOut: false } : httpAnswerOf(splitMimePart(first).body);
    }
    return httpAnswerOf(body);
  });
}

/**
 * A MIME part's Content-Type and what follows the blank line. Only the HTTP
 * answer inside gets a Headers object (httpAnswerOf): one made for each MIME
 * part too, three per write, was most of the time spent reading a batch's
 * answer, in front of the next requests of its 50 records.
 */
function splitMimePart(part: string): { contentType: string; body: string } {
  const blank = /\r?\n\r?\n/.exec(part);
  const head = blank ? part.slice(0, blank.index) : part;
  const body = blank ? part.slice(blank.index + blank[0].length) : '';
  const line = /(?:^|\n)content-type[ \t]*:([^\r\n]*)/i.exec(head);
  return { contentType: line ? line[1]!.trim() : '', body };
}

function boundaryOf(contentType: string): string | undefined {
  if (!/^multipart\/mixed\b/i.test(contentType.trim())) return undefined;
  return /boundary=("?)([^";]+)\1/i.exec(contentType)?.[2];
}

/** The parts between `--boundary` lines (RFC 2046), without the preamble and the closing one. */
function partsOf(text: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  let at = text.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (text.startsWith('--', start)) break;
    const next = text.indexOf(`\r\n${delimiter}`, start);
    const end = next < 0 ? text.length : next;
    parts.push(text.slice(text.indexOf('\n', start) + 1, end));
    at = next < 0 ? -1 : next + 2;
  }
  return parts;
}

/** A MIME part's or an HTTP message's headers and what follows the blank line. */
function splitPart(part: string): { headers: Headers; body: string; firstLine: string } {
  const blank = /\r?\n\r?\n/.exec(part);
  const head = blank ? part.slice(0, blank.index) : part;
  const body = blank ? part.slice(blank.index + blank[0].length) : '';
  const headers = new Headers();
  const lines = head.split(/\r?\n/);
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      try {
        headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      } catch {
        // A header name the Headers class refuses: not one we read.
      }
    }
  }
  return { headers, body, firstLine: lines[0] ?? '' };
}

/** `HTTP/1.1 201 Created`, headers, blank line, body: one answer, as guardedRequest would have read it. */
function httpAnswerOf(message: string): HttpResult {
  const { headers, body, firstLine } = splitPart(message.replace(/^(\r?\n)+/, ''));
  const status = Number(/^HTTP\/1\.[01] (\d{3})\b/.exec(firstLine)?.[1]);
  if (!Number.isInteger(status) || status < 100 || status > 599) return { kind: 'network', timedOut: false };
  const text = body.replace(/\r?\n$/, '');
  return { kind: 'response', status, headers, body: status >= 200 && text ? encoder.encode(text) : undefined, bodyTooLarge: false };
}
