// @vitest-environment happy-dom
/**
 * Images waiting in the form go with the case being saved, and with that case
 * only: one that could not be attached never turns up on the next case.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { db } from '../../../lib/db/db';
import { addDraftAttachment, listDraftAttachments } from '../../../lib/inbox/draft-attachments';
import { listPending } from '../../../lib/inbox/pending';
import { afterCaseCreated } from '../../../components/capture/capture-actions';
import { captureStatus } from '../../../components/capture/capture-state';
import { caseInput } from '../cases/helpers';

// The eight bytes of a PNG signature: enough for a stored image.
const PNG = `data:image/png;base64,${btoa(String.fromCharCode(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))}`;
const image = (id: string, name: string, source: 'clipboard' | 'screenshot') => ({
  id,
  name,
  type: 'image/png' as const,
  size: 8,
  dataUrl: PNG,
  source,
  sourceUrl: source === 'screenshot' ? 'https://portal.example.com/ticket/7' : undefined,
});

/** Refuses to store the files named here, as a full disk would. */
function refuseFiles(...names: string[]): () => void {
  const refuse = function (this: unknown, _key: unknown, record: { name: string }) {
    if (names.includes(record.name)) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  db.attachments.hook('creating', refuse);
  return () => db.attachments.hook('creating').unsubscribe(refuse);
}

let release: (() => void) | undefined;
beforeEach(async () => {
  await Promise.all([db.cases.clear(), db.customers.clear(), db.attachments.clear(), db.outbox.clear(), db.timeline.clear()]);
  captureStatus.value = { busy: false };
});
afterEach(() => {
  release?.();
  release = undefined;
});

describe('images waiting in the form', () => {
  it('never go to the next case when they could not be attached to this one', async () => {
    await addDraftAttachment(image('img-a', 'pasted.png', 'clipboard'));
    await addDraftAttachment(image('img-b', 'screenshot.png', 'screenshot'));
    const ctx = { actor: 'Eva', now: Date.UTC(2025, 9, 1, 9) };
    const { case: first } = await createCase(caseInput({ title: 'First case' }), ctx);
    release = refuseFiles('screenshot.png');

    await afterCaseCreated(first.id);
    const told = captureStatus.value.error;
    expect((await db.attachments.where('caseId').equals(first.id).toArray()).map((a) => a.name)).toEqual(['pasted.png']);

    release();
    release = undefined;
    const { case: second } = await createCase(caseInput({ title: 'Second case' }), { ...ctx, now: ctx.now + 1 });
    await afterCaseCreated(second.id);
    expect(await db.attachments.where('caseId').equals(second.id).count()).toBe(0);
    expect(await db.attachments.where('caseId').equals(first.id).count()).toBe(1);

    // The agent was told, and the refused image waits to be attached again, not in the form.
    expect(told).toBe('capture.error.imagesNotAttached');
    expect(await listDraftAttachments()).toEqual([]);
    expect(await listPending()).toEqual([
      expect.objectContaining({ kind: 'image', action: 'attachImageToCase', image: expect.objectContaining({ name: 'screenshot.png' }) }),
    ]);
  });
});
