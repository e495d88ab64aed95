import { describe, expect, it } from 'vitest';
import { captureErrorOf, defaultCountryOf } from '../../../lib/panel/capture-tab';
import { webOriginOf } from '../../../lib/panel/tab-origins';

describe('reading a tab', () => {
  it("tells the agent to click the toolbar button when Chrome refuses the tab for lack of permission", () => {
    expect(captureErrorOf(new Error('Cannot access contents of the page. Extension manifest must request permission to access the respective host.'))).toBe(
      'capture.error.noPermission',
    );
    expect(captureErrorOf(new Error('Cannot access contents of url "https://example.com/". Extension manifest must request permission to access this host.'))).toBe(
      'capture.error.noPermission',
    );
  });

  it('says a browser page or the Web Store can never be read', () => {
    expect(captureErrorOf(new Error('Cannot access a chrome:// URL'))).toBe('capture.error.restricted');
    expect(captureErrorOf(new Error('The extensions gallery cannot be scripted.'))).toBe('capture.error.restricted');
    expect(captureErrorOf(new Error('No tab with id: 42.'))).toBe('capture.error.noTab');
  });

  it("takes national phone numbers in the agent's region", () => {
    expect(defaultCountryOf('hu')).toBe('HU');
    expect(defaultCountryOf('en-GB')).toBe('GB');
    expect(defaultCountryOf('en')).toBeUndefined();
    expect(defaultCountryOf('en-US', 'ro')).toBe('RO');
  });

  it('asks "Always allow" only for web origins', () => {
    expect(webOriginOf('https://mail.google.com/mail/u/0/#inbox')).toBe('https://mail.google.com');
    expect(webOriginOf('chrome://settings')).toBeUndefined();
    expect(webOriginOf(undefined)).toBeUndefined();
  });
});
