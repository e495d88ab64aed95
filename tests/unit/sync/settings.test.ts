import { describe, expect, it } from 'vitest';
import { SidecaseDb } from '../../../lib/db/db';
import {
  DEFAULT_BACKEND,
  loadBackendSettings,
  originPattern,
  saveBackendSettings,
  validateBackendSettings,
} from '../../../lib/sync/settings';
import { BLOCKED_META_KEY } from '../../../lib/sync/engine-state';

const token = 'tok_SECRET_value_123';

describe('backend settings', () => {
  it('defaults to no backend', async () => {
    const db = new SidecaseDb(`settings-${Math.random()}`);
    expect(await loadBackendSettings(db)).toEqual(DEFAULT_BACKEND);
  });

  it('accepts a REST backend with a bearer token or a named header, trimming a trailing slash', () => {
    expect(validateBackendSettings({ kind: 'rest', url: 'https://crm.example/api/', auth: { type: 'bearer', token } })).toEqual({
      ok: true,
      settings: { kind: 'rest', url: 'https://crm.example/api', auth: { type: 'bearer', token } },
    });
    expect(validateBackendSettings({ kind: 'rest', url: 'http://localhost:8080', auth: { type: 'header', name: 'X-Api-Key', key: 'k' } }).ok).toBe(true);
  });

  it('accepts plain http only for a backend on this computer', () => {
    for (const url of ['http://localhost:8080', 'http://127.0.0.1:3000/api']) {
      expect(validateBackendSettings({ kind: 'rest', url, auth: { type: 'bearer', token } }).ok).toBe(true);
    }
    for (const url of ['http://crm.example/api', 'http://192.168.1.10', 'http://localhost.evil.example']) {
      expect(validateBackendSettings({ kind: 'rest', url, auth: { type: 'bearer', token } })).toEqual({
        ok: false,
        fields: { 'backend.url': 'sync.settings.url.httpNotLocal' },
      });
    }
    expect(validateBackendSettings({ kind: 'webhook', url: 'http://hooks.example/in', secret: 'x'.repeat(32) })).toMatchObject({
      fields: { 'webhook.url': 'sync.settings.url.httpNotLocal' },
    });
  });

  it('refuses URLs that are not http(s), or that carry credentials, with a message key on the URL control', () => {
    expect(validateBackendSettings({ kind: 'rest', url: 'ftp://crm.example', auth: { type: 'bearer', token } })).toEqual({
      ok: false,
      fields: { 'backend.url': 'sync.settings.url.notHttp' },
    });
    expect(validateBackendSettings({ kind: 'webhook', url: 'javascript:alert(1)', secret: 'x'.repeat(32) })).toMatchObject({
      ok: false,
      fields: { 'webhook.url': 'sync.settings.url.notHttp' },
    });
    expect(validateBackendSettings({ kind: 'rest', url: 'https://me:pw@crm.example', auth: { type: 'bearer', token } })).toMatchObject({
      fields: { 'backend.url': 'sync.settings.url.hasCredentials' },
    });
    expect(validateBackendSettings({ kind: 'rest', url: 'not a url', auth: { type: 'bearer', token } })).toMatchObject({
      fields: { 'backend.url': 'sync.settings.url.invalid' },
    });
  });

  it('refuses an empty token, a token with a line break, and reserved header names', () => {
    expect(validateBackendSettings({ kind: 'rest', url: 'https://a.example', auth: { type: 'bearer', token: ' ' } })).toMatchObject({
      fields: { 'backend.token': 'sync.settings.token.required' },
    });
    expect(validateBackendSettings({ kind: 'rest', url: 'https://a.example', auth: { type: 'bearer', token: 'a\r\nX: y' } })).toMatchObject({
      fields: { 'backend.token': 'sync.settings.token.invalid' },
    });
    expect(
      validateBackendSettings({ kind: 'rest', url: 'https://a.example', auth: { type: 'header', name: 'Idempotency-Key', key: 'k' } }),
    ).toMatchObject({ fields: { 'backend.headerName': 'sync.settings.headerName.reserved' } });
  });

  it('asks for a webhook secret of at least 16 characters', () => {
    expect(validateBackendSettings({ kind: 'webhook', url: 'https://hooks.example/x', secret: 'short' })).toEqual({
      ok: false,
      fields: { 'webhook.secret': 'sync.settings.secret.tooShort' },
    });
  });

  it('never puts the token into an error', () => {
    const result = validateBackendSettings({ kind: 'rest', url: 'ftp://x', auth: { type: 'bearer', token: `${token}\n` } });
    expect(JSON.stringify(result)).not.toContain(token);
  });

  it('stores the settings in IndexedDB and lifts a "refused" block when saved', async () => {
    const db = new SidecaseDb(`settings-${Math.random()}`);
    await db.meta.put({ key: BLOCKED_META_KEY, value: { error: 'sync.error.unauthorized', at: 1 } });
    const saved = await saveBackendSettings({ kind: 'rest', url: 'https://crm.example', auth: { type: 'bearer', token } }, { db });
    expect(saved.ok).toBe(true);
    expect(await loadBackendSettings(db)).toEqual({ kind: 'rest', url: 'https://crm.example', auth: { type: 'bearer', token } });
    expect(await db.meta.get(BLOCKED_META_KEY)).toBeUndefined();
  });

  it('keeps the previous settings when the new ones are invalid', async () => {
    const db = new SidecaseDb(`settings-${Math.random()}`);
    await saveBackendSettings({ kind: 'webhook', url: 'https://hooks.example/x', secret: 's'.repeat(20) }, { db });
    const result = await saveBackendSettings({ kind: 'webhook', url: 'https://hooks.example/x', secret: 'short' }, { db });
    expect(result.ok).toBe(false);
    expect((await loadBackendSettings(db)).kind).toBe('webhook');
  });

  it('asks host permission for exactly the backend origin', () => {
    expect(originPattern('https://crm.example:8443/api/v1')).toBe('https://crm.example/*');
    expect(originPattern('http://127.0.0.1:3000')).toBe('http://127.0.0.1/*');
  });
});
