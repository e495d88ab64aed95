// @vitest-environment happy-dom
/**
 * What the panel takes from outside reaches the quick-create draft (kept in
 * storage as the agent works) already masked: a capture pasted with "Paste
 * context", text pasted into the form's fields, a context-menu result. The
 * agent's own typing is masked at Save (tests/unit/redaction/writers.test.ts).
 */
import '../notes/happy-dom-purify';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { applyPendingDraft, pasteText } from '../../../components/capture/capture-actions';
import { draft, resetDraft, updateDraft } from '../../../components/quick-create/form-state';
import { maskPasted, onFormPaste } from '../../../components/redaction/masked-paste';
import { clearMasked, keepUnmasked, keptOriginals, noticeItems } from '../../../components/redaction/redaction-state';
import { loadDraft } from '../../../lib/drafts';
import type { PendingItem } from '../../../lib/inbox/pending';
import { redactPending } from '../../../lib/menus/redact-pending';

// Invented values that pass their checks: a Visa test number, a Romanian IBAN.
const CARD = '4111 1111 1111 1111';
const IBAN = 'RO49 AAAA 1B31 0075 9384 0000';
const MAIL = `Hello, I paid with ${CARD}. Please refund to ${IBAN}.`;
const MASKED_MAIL = 'Hello, I paid with •••• •••• •••• 1111. Please refund to RO49 •••• •••• •••• •••• 0000.';
const T0 = Date.UTC(2025, 8, 1, 9, 0, 0);

/** The draft as storage holds it, once the form's writes have landed. */
async function storedDraftText(): Promise<string> {
  return JSON.stringify(await fakeBrowser.storage.local.get('draft'));
}

function quickCreateField(name: string): HTMLTextAreaElement {
  document.body.innerHTML = `<form name="quick-create"><textarea name="${name}"></textarea></form><textarea name="elsewhere"></textarea>`;
  const field = document.querySelector<HTMLTextAreaElement>(`form [name="${name}"]`)!;
  // As the form does: every input is the draft.
  field.addEventListener('input', () => updateDraft({ [name]: field.value }));
  return field;
}

function pasteEvent(target: EventTarget, text: string) {
  return { target, clipboardData: { getData: (type: string) => (type === 'text/plain' ? text : '') }, preventDefault: vi.fn() } as unknown as ClipboardEvent & {
    preventDefault: ReturnType<typeof vi.fn>;
  };
}

beforeEach(async () => {
  vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue('en-US');
  clearMasked();
  await resetDraft();
});

describe('the quick-create draft in storage', () => {
  it('holds a pasted capture ("Paste context") only masked', async () => {
    await pasteText(MAIL);
    expect(draft.value.description).toContain(MASKED_MAIL);
    await vi.waitFor(async () => expect((await loadDraft()).description).toContain(MASKED_MAIL));
    const stored = await storedDraftText();
    expect(stored).not.toContain(CARD);
    expect(stored).not.toContain('1B31');
    expect(noticeItems.value.map((i) => i.label)).toEqual(['card', 'iban']);
  });

  it('holds text pasted into the description only masked, and the notice offers to keep each', async () => {
    const field = quickCreateField('description');
    field.value = 'Note: ';
    field.setSelectionRange(6, 6);
    const event = pasteEvent(field, MAIL);
    await onFormPaste(event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(field.value).toBe(`Note: ${MASKED_MAIL}`);
    await vi.waitFor(async () => expect((await loadDraft()).description).toBe(`Note: ${MASKED_MAIL}`));
    expect(await storedDraftText()).not.toContain(CARD);
    expect(noticeItems.value.map((i) => [i.label, i.isFinal ?? false])).toEqual([
      ['card', false],
      ['iban', false],
    ]);
  });

  it('leaves a paste outside the form’s masked fields to the browser', () => {
    quickCreateField('description');
    const event = pasteEvent(document.querySelector('[name="elsewhere"]')!, MAIL);
    expect(onFormPaste(event)).toBeUndefined();
    expect(event.preventDefault).not.toHaveBeenCalled();
  });

  it('holds a context-menu selection only masked, and says it cannot be kept unmasked', async () => {
    const item: PendingItem = { kind: 'draft', id: 'p1', action: 'newCaseFromSelection', source: { kind: 'selection', url: 'https://mail.example.com/42', capturedAt: T0 }, text: MAIL };
    const masked = await redactPending(item);
    expect(masked.kind === 'draft' && masked.masked).toEqual([
      { label: 'card', masked: '•••• •••• •••• 1111' },
      { label: 'iban', masked: 'RO49 •••• •••• •••• •••• 0000' },
    ]);
    await applyPendingDraft(masked as Extract<PendingItem, { kind: 'draft' }>);
    expect(draft.value.description).toBe(MASKED_MAIL);
    await vi.waitFor(async () => expect((await loadDraft()).description).toBe(MASKED_MAIL));
    expect(await storedDraftText()).not.toContain(CARD);
    expect(noticeItems.value.map((i) => [i.label, i.isFinal])).toEqual([
      ['card', true],
      ['iban', true],
    ]);
    // No original to put back: "Keep unmasked" is not offered, and does nothing if called.
    keepUnmasked(noticeItems.value[1]!.id);
    expect(draft.value.description).toBe(MASKED_MAIL);
    expect(keptOriginals.value).toEqual([]);
  });
});

describe('a paste into the note editor', () => {
  it('is masked inside the text of pasted HTML, its markup whole', async () => {
    const pasted = await maskPasted(`<p>Card: <b>${CARD}</b></p><p><a href="https://shop.example/${IBAN.replace(/ /g, '')}">order</a></p>`, 'html');
    expect(pasted.body).toBe(`<p>Card: <b>•••• •••• •••• 1111</b></p><p><a href="https://shop.example/${IBAN.replace(/ /g, '')}">order</a></p>`);
    expect(pasted.items.map((i) => i.label)).toEqual(['card']);
  });
});
