/**
 * The Dataverse simulator's $batch, as learn.microsoft.com documents it
 * (webapi/execute-batch-operations-using-web-api): change sets all or
 * nothing, answers in order, the first failure stops the batch unless
 * odata.continue-on-error is asked for, Content-ID references.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { providerOf } from '../../../lib/sync/dynamics365/client';
import { signIn, type AuthBrowser } from '../../../lib/sync/oauth';
import { startDataverseSimulator, type DataverseSimulator } from '../../support/dataverse-simulator';

const CLIENT_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const authWindow: AuthBrowser = {
  redirectUrl: 'https://abcdefghijklmnop.chromiumapp.org/',
  async launchWebAuthFlow(url) {
    return (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? undefined;
  },
};
const ONE = '11111111-1111-4111-8111-111111111111';
const TWO = '22222222-2222-4222-8222-222222222222';

const simulators: DataverseSimulator[] = [];
afterEach(async () => {
  await Promise.all(simulators.splice(0).map((s) => s.close()));
});

type Request = { method: string; url: string; body?: unknown; headers?: Record<string, string>; id: number };

/** A $batch body: each inner list is one change set. */
function batchBody(boundary: string, changeSets: Request[][]): string {
  let text = '';
  changeSets.forEach((requests, n) => {
    const changeset = `changeset_${n}`;
    text += `--${boundary}\r\nContent-Type: multipart/mixed; boundary=${changeset}\r\n\r\n`;
    for (const request of requests) {
      const headers = Object.entries({ 'Content-Type': 'application/json', ...request.headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      text += `--${changeset}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: ${request.id}\r\n\r\n`;
      text += `${request.method} ${request.url} HTTP/1.1\r\n${headers}\r\n${request.body === undefined ? '' : JSON.stringify(request.body)}\r\n`;
    }
    text += `--${changeset}--\r\n`;
  });
  return `${text}--${boundary}--\r\n`;
}

async function setUp() {
  const sim = await startDataverseSimulator();
  simulators.push(sim);
  const settings = { kind: 'dynamics365' as const, url: sim.url, clientId: CLIENT_ID, authority: sim.authority };
  const tokens = await signIn(providerOf(settings), authWindow, { fetch: globalThis.fetch.bind(globalThis), now: Date.now });
  const send = async (changeSets: Request[][], prefer?: string) => {
    const response = await fetch(`${sim.url}/api/data/v9.2/$batch`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens.accessToken}`, 'Content-Type': 'multipart/mixed; boundary=batch_t', ...(prefer ? { Prefer: prefer } : {}) },
      body: batchBody('batch_t', changeSets),
    });
    const text = await response.text();
    return { status: response.status, statuses: [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1])) };
  };
  return { sim, send };
}

describe('the Dataverse simulator answers $batch', () => {
  it('applies a change set whole, or not at all, and stops at the first failure', async () => {
    const { sim, send } = await setUp();
    const answer = await send([
      [{ id: 1, method: 'POST', url: 'incidents', body: { incidentid: ONE, title: 'One' } }],
      [
        { id: 2, method: 'POST', url: 'incidents', body: { incidentid: TWO, title: 'Two' } },
        { id: 3, method: 'PATCH', url: `incidents(${ONE})`, body: { title: 'stale' }, headers: { 'If-Match': 'W/"1"' } },
      ],
      [{ id: 4, method: 'PATCH', url: `incidents(${ONE})`, body: { title: 'Never' }, headers: { 'If-Match': '*' } }],
    ]);
    expect(answer.status).toBe(200);
    // The second change set failed on its PATCH: its create is rolled back, and the third never ran.
    expect(answer.statuses).toEqual([204, 412]);
    expect(sim.rows('incidents').map((row) => [row.incidentid, row.title])).toEqual([[ONE, 'One']]);
  });

  it('goes on after a failure when asked to, and resolves Content-ID references', async () => {
    const { sim, send } = await setUp();
    const answer = await send(
      [
        [{ id: 1, method: 'PATCH', url: `incidents(${ONE})`, body: { title: 'Missing' }, headers: { 'If-Match': '*' } }],
        [
          { id: 2, method: 'POST', url: 'incidents', body: { incidentid: TWO, title: 'Two' } },
          { id: 3, method: 'PATCH', url: '$2', body: { title: 'Two, edited' }, headers: { 'If-Match': '*' } },
        ],
      ],
      'odata.continue-on-error',
    );
    expect(answer.statuses).toEqual([404, 204, 204]);
    expect(sim.rows('incidents').map((row) => [row.incidentid, row.title])).toEqual([[TWO, 'Two, edited']]);
  });
});
