import { describe, expect, it } from 'vitest';
import { maskText } from '../../../lib/redaction/mask';
import { draft, updateDraft } from '../../../components/quick-create/form-state';
import { announceMasked, clearMasked, confirmMasked, hasUnansweredAsk, keepUnmasked, keptOriginals, noticeItems } from '../../../components/redaction/redaction-state';

const IBAN = 'RO49 AAAA 1B31 0075 9384 0000';
const MODES = { card: 'mask', iban: 'mask', secret: 'ask', nationalId: 'mask' } as const;

describe('the panel’s redaction notice', () => {
  it('puts a kept value back in the form and hands it to the writer', () => {
    clearMasked();
    const masked = maskText(`Refund to ${IBAN}, card 4111 1111 1111 1111`);
    updateDraft({ description: masked.text });
    announceMasked(masked.items, MODES);
    expect(noticeItems.value.map((i) => i.label)).toEqual(['iban', 'card']);
    keepUnmasked(noticeItems.value[0]!.id);
    expect(draft.value.description).toBe(`Refund to ${IBAN}, card •••• •••• •••• 1111`);
    expect(keptOriginals.value).toEqual([IBAN]);
  });

  it('holds Save until each value of an "ask" kind is answered', () => {
    clearMasked();
    const masked = maskText('password: Alma1234');
    announceMasked(masked.items, MODES);
    expect(hasUnansweredAsk.value).toBe(true);
    confirmMasked(noticeItems.value[0]!.id);
    expect(hasUnansweredAsk.value).toBe(false);
    expect(keptOriginals.value).toEqual([]);
  });
});

describe('the per-kind modes', () => {
  it('are validated with the other settings, and settings saved before them read as all masked', async () => {
    const { Settings, parseSettings } = await import('../../../lib/settings');
    expect(Settings.safeParse({ agentName: 'Bea', ownAddresses: [], redaction: { card: 'sometimes' } }).success).toBe(false);
    expect(Settings.parse({ agentName: 'Bea', ownAddresses: [], redaction: { card: 'off' } }).redaction).toEqual({ card: 'off', iban: 'mask', secret: 'mask', nationalId: 'mask' });
    expect(parseSettings({ agentName: 'Bea', ownAddresses: [] }).redaction).toBeUndefined();
  });
});
