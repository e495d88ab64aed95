import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { EMPTY_DRAFT, loadDraft, parseDraft, saveDraft, type Draft } from '../../lib/drafts';

/** The draft's caps, written as the contract states them (not read from lib/drafts.ts). */
const DESCRIPTION_CAP = 100_000;
const NOTES_CAP = 20;
const TEXT_CAP = 10_000;

function draftWith(patch: Partial<Draft>): Draft {
  return { ...EMPTY_DRAFT, title: 'Printer jams on page 2', customer: { name: 'Ana Popescu', email: 'ana@contoso.ro', phone: '', company: 'Contoso' }, ...patch };
}

const note = (n: number) => ({ body: `<p>note ${n}</p>`, format: 'html' as const });

describe('drafts', () => {
  it('keeps the title, customer and notes when a pasted thread is longer than the draft keeps', async () => {
    const thread = 'x'.repeat(DESCRIPTION_CAP + 5_000);
    await saveDraft(draftWith({ description: thread, notes: [note(1), note(2)] }));
    const restored = await loadDraft();
    expect(restored.title).toBe('Printer jams on page 2');
    expect(restored.customer.email).toBe('ana@contoso.ro');
    expect(restored.notes).toHaveLength(2);
    expect(restored.description).toHaveLength(DESCRIPTION_CAP);
  });

  it('keeps the first 20 draft notes and everything else when a stored draft holds 21', async () => {
    await saveDraft(draftWith({ notes: Array.from({ length: NOTES_CAP + 1 }, (_, i) => note(i)) }));
    const restored = await loadDraft();
    expect(restored.title).toBe('Printer jams on page 2');
    expect(restored.notes).toHaveLength(NOTES_CAP);
    expect(restored.notes[0]?.body).toBe('<p>note 0</p>');
  });

  it('recovers a draft stored unchecked by an older build field by field', async () => {
    // What an older build wrote: no cap applied, one field of the wrong type.
    await fakeBrowser.storage.local.set({
      draft: {
        title: 'Refund for order 1182',
        customer: { name: 'Budi Santoso', email: 'budi@example.co.id', phone: 42, company: 'y'.repeat(TEXT_CAP + 1) },
        origin: 'carrier pigeon',
        description: 'z'.repeat(DESCRIPTION_CAP + 1),
        notes: [note(1), { body: 7, format: 'html' }, ...Array.from({ length: 30 }, (_, i) => note(i + 2))],
        tags: ['refund', 'vip'],
      },
    });
    const restored = await loadDraft();
    expect(restored.title).toBe('Refund for order 1182');
    expect(restored.customer).toEqual({ name: 'Budi Santoso', email: 'budi@example.co.id', phone: '', company: 'y'.repeat(TEXT_CAP) });
    expect(restored.origin).toBe('email');
    expect(restored.description).toHaveLength(DESCRIPTION_CAP);
    expect(restored.notes).toHaveLength(NOTES_CAP);
    expect(restored.notes[1]?.body).toBe('<p>note 2</p>');
    expect(restored.tags).toEqual(['refund', 'vip']);
  });

  it('gives the empty draft for what is not a draft at all', () => {
    expect(parseDraft('garbage')).toEqual(EMPTY_DRAFT);
    expect(parseDraft([1, 2])).toEqual(EMPTY_DRAFT);
    expect(parseDraft(null)).toEqual(EMPTY_DRAFT);
  });
});

describe('the form writing its draft', () => {
  it('issues every change at once, so a slow write never holds back the latest text', async () => {
    const { updateDraft } = await import('../../components/quick-create/form-state');
    const issued: unknown[] = [];
    let release: () => void = () => {};
    const slow = new Promise<void>((resolve) => (release = resolve));
    const realSet = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
    // The first write hangs (a busy browser); the ones after it must still be issued.
    fakeBrowser.storage.local.set = (async (items: Record<string, unknown>) => {
      issued.push((items.draft as Draft | undefined)?.description);
      if (issued.length === 1) await slow;
      return realSet(items);
    }) as typeof fakeBrowser.storage.local.set;
    try {
      updateDraft({ title: 'Typed fast', description: 'Half a senten' });
      updateDraft({ description: 'Half a sentenc' });
      updateDraft({ description: 'Half a sentence' });
      // Polled, not after a fixed 20 ms: a loaded machine may take longer to issue them.
      await vi.waitFor(() => expect(issued).toEqual(['Half a senten', 'Half a sentenc', 'Half a sentence']), { timeout: 5_000, interval: 10 });
    } finally {
      release();
      fakeBrowser.storage.local.set = realSet;
    }
  });
});
