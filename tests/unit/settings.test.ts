import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, Settings, loadSettings, parseSettings, saveSettings } from '../../lib/settings';
import { defaultCountryOf } from '../../lib/panel/capture-tab';

describe('settings', () => {
  it('accepts own addresses and domains, lower-cased, and refuses what is neither', () => {
    expect(Settings.parse({ agentName: ' Bence ', ownAddresses: ['Me@Example.com', '@support.example.org'] })).toEqual({
      agentName: 'Bence',
      ownAddresses: ['me@example.com', 'support.example.org'],
      defaultCountry: '',
    });
    const refused = Settings.safeParse({ agentName: 'Bence', ownAddresses: ['not a domain'] });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe('options.ownAddresses.invalid');
  });

  it('takes a two-letter default phone country or none, and refuses anything else', () => {
    expect(Settings.parse({ agentName: 'Bence', ownAddresses: [], defaultCountry: 'HU' }).defaultCountry).toBe('HU');
    const refused = Settings.safeParse({ agentName: 'Bence', ownAddresses: [], defaultCountry: 'HUN' });
    expect(refused.error?.issues[0]?.message).toBe('options.defaultCountry.invalid');
  });

  it('reads settings stored by an older build (no default country) and falls back to defaults on garbage', async () => {
    expect(parseSettings({ agentName: 'Ana', ownAddresses: [] })).toEqual({ agentName: 'Ana', ownAddresses: [], defaultCountry: '' });
    expect(parseSettings({ agentName: 42 })).toEqual(DEFAULT_SETTINGS);
    await saveSettings({ agentName: 'Ana', ownAddresses: ['ana@example.com'], defaultCountry: 'RO' });
    expect(await loadSettings()).toEqual({ agentName: 'Ana', ownAddresses: ['ana@example.com'], defaultCountry: 'RO' });
  });

  it('uses the configured phone country before the browser language', () => {
    expect(defaultCountryOf('hu-HU', 'RO')).toBe('RO');
    expect(defaultCountryOf('hu-HU', '')).toBe('HU');
    expect(defaultCountryOf('id')).toBe('ID');
  });
});
