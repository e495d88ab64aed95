/**
 * "A webhook receiver written from the docs alone verifies the signatures":
 * the receiver example in docs/sync-protocol.md is run as it is printed, and
 * the engine delivers to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendOutbox } from '../../../lib/db/changes';
import { SidecaseDb } from '../../../lib/db/db';
import { newId } from '../../../lib/ids';
import { drainOutbox } from '../../../lib/sync/engine';
import { signWebhook } from '../../../lib/sync/signature';

const SECRET = 'whsec_docs_example_0123456789';

function receiverFromDocs(): string {
  const doc = readFileSync(path.resolve(__dirname, '../../../docs/sync-protocol.md'), 'utf8');
  const block = /```js\n(\/\/ receiver\.mjs[\s\S]*?)```/.exec(doc);
  if (!block?.[1]) throw new Error('receiver example not found in docs/sync-protocol.md');
  return block[1];
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill();
  child = undefined;
});

describe('the webhook receiver printed in the protocol docs', () => {
  it('accepts what Sidecase sends, once per event, and refuses a tampered body', { timeout: 20_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sidecase-receiver-'));
    const file = path.join(dir, 'receiver.mjs');
    writeFileSync(file, receiverFromDocs());
    const port = await freePort();
    child = spawn(process.execPath, [file], { env: { ...process.env, SIDECASE_SECRET: SECRET, PORT: String(port) } });
    const lines: string[] = [];
    child.stdout!.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    const url = `http://127.0.0.1:${port}/hooks/sidecase`;
    // Wait until it listens.
    for (let i = 0; i < 100; i++) {
      const ready = await fetch(url, { method: 'POST', body: '{}' }).then(
        (response) => response.status === 401,
        () => false,
      );
      if (ready) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const db = new SidecaseDb(`docs-receiver-${Math.random()}`);
    const ids = [newId(), newId(), newId()];
    await db.transaction('rw', db.outbox, async () => {
      for (const id of ids) await appendOutbox(db, { entity: 'case', entityId: id, type: 'case.created', at: Date.now(), data: { id, title: 'Ünïcode ✓ "quoted"' } });
    });
    const result = await drainOutbox({ db, settings: { kind: 'webhook', url, secret: SECRET } });
    expect(result).toMatchObject({ sent: 3, failed: 0 });
    for (let i = 0; i < 100 && lines.length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines.sort()).toEqual(ids.map((id) => `case.created ${id}`).sort());

    const body = JSON.stringify({ id: 'x', type: 'case.created', occurredAt: new Date().toISOString(), data: { id: 'x' } });
    const signature = await signWebhook(SECRET, body, Date.now() / 1000);
    const tampered = await fetch(url, { method: 'POST', headers: { 'Sidecase-Signature': signature }, body: body.replace('"x"}', '"y"}') });
    expect(tampered.status).toBe(401);
    const stale = await signWebhook(SECRET, body, Date.now() / 1000 - 3600);
    expect((await fetch(url, { method: 'POST', headers: { 'Sidecase-Signature': stale }, body })).status).toBe(401);
    expect((await fetch(url, { method: 'POST', headers: { 'Sidecase-Signature': signature }, body })).status).toBe(200);
  });
});
