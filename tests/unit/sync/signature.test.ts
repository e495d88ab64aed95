import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../../../lib/sync/signature';

const secret = 'whsec_0123456789abcdef';
const body = JSON.stringify({ id: 'case:01H:01J', type: 'case.created', occurredAt: '2025-06-01T12:00:00.000Z', data: { title: 'Ünicode ✓' } });
const t = 1_748_779_200;
const now = t * 1000;

describe('webhook signatures', () => {
  it('produces t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">, as the docs tell receivers', async () => {
    const header = await signWebhook(secret, body, t);
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies a fresh signature', async () => {
    const header = await signWebhook(secret, body, t);
    expect(await verifyWebhook(secret, body, header, { now: now + 10_000 })).toBe(true);
  });

  it('refuses a tampered body', async () => {
    const header = await signWebhook(secret, body, t);
    expect(await verifyWebhook(secret, body.replace('case.created', 'case.cancelled'), header, { now })).toBe(false);
    expect(await verifyWebhook(secret, body + ' ', header, { now })).toBe(false);
  });

  it('refuses an old timestamp (a replayed request)', async () => {
    const header = await signWebhook(secret, body, t);
    expect(await verifyWebhook(secret, body, header, { now: now + 301_000 })).toBe(false);
    expect(await verifyWebhook(secret, body, header, { now: now + 3_600_000, toleranceSeconds: 7200 })).toBe(true);
  });

  it('refuses a signature made with another secret', async () => {
    const header = await signWebhook('another-secret-of-16+', body, t);
    expect(await verifyWebhook(secret, body, header, { now })).toBe(false);
  });

  it('refuses a timestamp changed after signing', async () => {
    const header = await signWebhook(secret, body, t);
    const moved = header.replace(`t=${t}`, `t=${t + 60}`);
    expect(await verifyWebhook(secret, body, moved, { now })).toBe(false);
  });

  it('refuses missing or malformed headers', async () => {
    for (const header of [undefined, null, '', 'v1=abc', `t=${t}`, `t=${t},v1=zz`, 'garbage']) {
      expect(await verifyWebhook(secret, body, header, { now })).toBe(false);
    }
  });

  it('accepts any of several v1 values (secret rotation)', async () => {
    const old = (await signWebhook('the-old-secret-16chars', body, t)).split(',')[1];
    const current = (await signWebhook(secret, body, t)).split(',')[1];
    expect(await verifyWebhook(secret, body, `t=${t},${old},${current}`, { now })).toBe(true);
  });
});
