/**
 * What the capture controls do, loaded on first use (the panel's first paint
 * carries only the buttons, see capture-state.ts). Reads the tab, the
 * clipboard and the pending context-menu results, fills the form by the rules
 * of lib/panel/fill.ts, and saves through lib/notes and lib/attachments.
 */
import { browser } from 'wxt/browser';
import type { CaptureResult } from '../../lib/capture/result';
import { cleanBlock } from '../../lib/capture/clean';
import { normaliseEmail, ownMatcher, supportedCountry } from '../../lib/capture/contacts';
import { findEmails, findPhones } from '../../lib/capture/extractors/patterns';
import { titleFrom } from '../../lib/capture/readers/chat';
import type { Draft, DraftSource } from '../../lib/drafts';
import { SidecaseError } from '../../lib/errors';
import { t, uiLanguage } from '../../lib/i18n/t';
import { newId } from '../../lib/ids';
import {
  addDraftAttachment,
  listDraftAttachments,
  removeDraftAttachment,
  watchDraftAttachments,
  type DraftAttachment,
} from '../../lib/inbox/draft-attachments';
import { IMAGE_MAX_BYTES, blobToDataUrl, dataUrlToBlob, imageNameOf, imageTypeOf } from '../../lib/inbox/images';
import { addPending, removePending, type PendingItem } from '../../lib/inbox/pending';
import { captureTab, defaultCountryOf } from '../../lib/panel/capture-tab';
import { addToDescription, fillDraft, fillsFromCapture, fillsFromContacts, sourceFromCapture, type Fills } from '../../lib/panel/fill';
import { tabOrigin, webOriginOf } from '../../lib/panel/tab-origins';
import { loadSettings } from '../../lib/settings';
import type { Case } from '../../lib/schema';
import { captureStatus, contactOffers, draftAttachmentNames, inboxNoteId, saveTarget, type SaveTarget } from './capture-signals';
import { draft, errors, resetDraft, saving, updateCustomer, updateDraft } from '../quick-create/form-state';
import { agentName, boundTabId, showToast } from '../shell/panel-state';
import { redactFields } from '../../lib/redaction/apply';
import { announceMasked, announceMaskedFinal, clearMasked, keptOriginals } from '../redaction/redaction-state';

const DESCRIPTION_MAX = 2000;

/** The tab the panel works on: the one it is bound to (`?tab=`), else the active tab of its window. */
async function targetTabId(): Promise<number | undefined> {
  if (boundTabId !== undefined) return boundTabId;
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

function clearErrorsOf(paths: readonly string[]): void {
  if (paths.length === 0) return;
  const next = { ...errors.value };
  for (const path of paths) delete next[path];
  errors.value = next;
}

function applyFills(fills: Fills, source?: DraftSource, options?: { replace?: boolean }): void {
  const { draft: next, filled } = fillDraft(draft.value, fills, source, options);
  updateDraft(next);
  clearErrorsOf(filled);
}

/** A page capture into the form: nothing the agent typed is overwritten. */
export function applyCapture(result: CaptureResult, now: number, source?: DraftSource): void {
  applyFills(fillsFromCapture(result), source ?? sourceFromCapture(result, now), { replace: true });
}

/** A customer already stored with the form's email or phone is linked instead of creating a twin. */
export async function matchCustomer(): Promise<void> {
  const c = draft.value.customer;
  if (c.id || (!c.email.trim() && !c.phone.trim())) return;
  const [{ db }, { findCustomerByContact }] = await Promise.all([import('../../lib/db/db'), import('../../lib/customers/upsert')]);
  const found = await findCustomerByContact(db, { email: normaliseEmail(c.email) ?? undefined, phone: c.phone.trim() || undefined });
  const now = draft.value.customer;
  if (!found || now.id) return;
  updateCustomer({
    id: found.id,
    name: now.name || found.name,
    email: now.email || found.emails[0] || '',
    phone: now.phone || found.phones[0] || '',
    company: now.company || found.company,
  });
}

/** One timer tick: Preact has rendered what the signals changed. */
const rendered = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The capture button. The click handler marked 'sidecase:capture-start'. */
export async function runCapture(): Promise<void> {
  captureStatus.value = { busy: true };
  const tabId = await targetTabId();
  if (tabId === undefined) {
    captureStatus.value = { busy: false, error: 'capture.error.noTab' };
    return;
  }
  const settings = await loadSettings();
  const outcome = await captureTab(tabId, {
    ownAddresses: settings.ownAddresses,
    ownNames: [settings.agentName],
    defaultCountry: defaultCountryOf(uiLanguage(), settings.defaultCountry),
  });
  if (!outcome.ok) {
    const refused = outcome.error === 'capture.error.noPermission';
    captureStatus.value = { busy: false, error: outcome.error, offerAllow: refused, allowOrigin: refused ? await tabOrigin(tabId) : undefined };
    return;
  }
  // Masked as it comes back from the page, before it enters the form (and the draft in storage).
  // Measured on its own ('sidecase:capture-redaction'): `npm run bench` reports what masking adds to a capture.
  const redactStart = performance.now();
  const redacted = await (await import('../../lib/redaction/capture')).redactCapture(outcome.result, { redactionModes: settings.redaction });
  performance.measure('sidecase:capture-redaction', { start: redactStart, end: performance.now() });
  applyCapture(redacted.result, Date.now());
  // The notice counts what entered the form (the selection is also the description: counted once).
  announceMasked(redacted.items.filter((item) => item.field === 'title' || item.field === 'description'), settings.redaction);
  await matchCustomer();
  await rendered();
  performance.mark('sidecase:capture-end');
  performance.measure('sidecase:capture', 'sidecase:capture-start', 'sidecase:capture-end');
  // Read with a click's one-time grant: offer to allow the site for good.
  const origin = webOriginOf(outcome.result.url);
  const allowed = origin ? await browser.permissions.contains({ origins: [`${origin}/*`] }).catch(() => true) : true;
  captureStatus.value = { busy: false, truncated: outcome.result.truncated, offerAllow: !allowed, allowOrigin: origin };
}

/** After "Always allow" was answered: capture again right away when granted. */
export async function afterAllowed(granted: boolean): Promise<void> {
  if (!granted) {
    captureStatus.value = { ...captureStatus.value, error: 'capture.allow.refused' };
    return;
  }
  performance.mark('sidecase:capture-start');
  await runCapture();
}

// ------------------------------------------------------------------ clipboard

async function contactsIn(text: string): Promise<{ emails: string[]; phones: string[] }> {
  const settings = await loadSettings();
  const own = ownMatcher(settings.ownAddresses, [settings.agentName]);
  const emails = [...new Set(findEmails(text).flatMap((e) => normaliseEmail(e) ?? []))].filter((e) => !own.isOwnEmail(e));
  const phones = [...new Set(findPhones(text, supportedCountry(defaultCountryOf(uiLanguage()))).map((p) => p.e164))];
  return { emails, phones };
}

export async function pasteText(text: string, from = 'clipboard'): Promise<void> {
  const raw = cleanBlock(text, DESCRIPTION_MAX);
  if (!raw) return;
  const modes = (await loadSettings()).redaction;
  const redacted = await redactFields({ text: raw }, { redactionModes: modes });
  const clean = redacted.fields.text;
  announceMasked(redacted.items, modes);
  updateDraft(addToDescription(draft.value, clean, from));
  const { emails, phones } = await contactsIn(clean);
  applyFills(fillsFromContacts({ emails, phones }, from));
  const c = draft.value.customer;
  // What did not fit an empty field is offered, never forced over what the agent typed.
  contactOffers.value = { emails: emails.filter((e) => e !== c.email), phones: phones.filter((p) => p !== c.phone) };
  await matchCustomer();
}

/** The agent took an offered email or phone: theirs to use, over what the field held. */
export function useOffer(kind: 'email' | 'phone', value: string): void {
  updateCustomer({ [kind]: value });
  clearErrorsOf([`customer.${kind}`]);
  const offers = contactOffers.value;
  contactOffers.value = {
    emails: kind === 'email' ? offers.emails.filter((e) => e !== value) : offers.emails,
    phones: kind === 'phone' ? offers.phones.filter((p) => p !== value) : offers.phones,
  };
  void matchCustomer();
}

export async function attachImageToDraft(
  blob: Blob,
  source: DraftAttachment['source'],
  options: { name?: string; sourceUrl?: string } = {},
): Promise<boolean> {
  const type = imageTypeOf(blob.type);
  const fail = (error: string) => {
    captureStatus.value = { busy: false, error };
    return false;
  };
  if (!type) return fail('clipboard.error.imageType');
  if (blob.size > IMAGE_MAX_BYTES) return fail('clipboard.error.imageTooLarge');
  try {
    const added = await addDraftAttachment({
      id: newId(),
      name: options.name ?? imageNameOf(undefined, type, Date.now(), 'pasted'),
      type,
      size: blob.size,
      dataUrl: await blobToDataUrl(blob, type),
      source,
      sourceUrl: options.sourceUrl,
    });
    return added || fail('clipboard.error.tooMany');
  } catch (error) {
    console.error('image not kept', error);
    return fail('clipboard.error.storageFull');
  }
}

/** An image pasted into the panel: through the screenshot editor, then to the case being written; nothing when the agent cancels. */
export async function attachPastedImage(image: Blob): Promise<boolean> {
  // Anything else is refused by attachImageToDraft, which says why.
  if (!imageTypeOf(image.type)) return attachImageToDraft(image, 'clipboard');
  const { editImageBeforeAttaching } = await import('../redaction/edit-image');
  const edited = await editImageBeforeAttaching(image, image instanceof File && image.name ? image.name : t('imageRedactor.pastedImage'));
  return edited ? attachImageToDraft(edited, 'clipboard') : false;
}

/** "Paste context": text to the description (contacts offered), images to the case's attachments. */
export async function pasteContext(): Promise<void> {
  captureStatus.value = { busy: true };
  let text = '';
  const images: Blob[] = [];
  try {
    const items = await navigator.clipboard.read();
    for (const item of items) {
      const imageType = item.types.find((type) => imageTypeOf(type) !== undefined);
      if (imageType) images.push(await item.getType(imageType));
      else if (item.types.includes('text/plain')) text += await (await item.getType('text/plain')).text();
    }
  } catch {
    // read() is refused for some clipboard contents where readText() is not.
    try {
      text = await navigator.clipboard.readText();
    } catch {
      captureStatus.value = { busy: false, error: 'clipboard.error.denied' };
      return;
    }
  }
  if (!text.trim() && images.length === 0) {
    captureStatus.value = { busy: false, error: 'clipboard.error.empty' };
    return;
  }
  captureStatus.value = { busy: false };
  for (const image of images) await attachPastedImage(image);
  if (text.trim()) await pasteText(text);
}

export { removeDraftAttachment };

/** Mirrors the waiting images into the signal the form renders; returns the unsubscribe. */
export function followDraftAttachments(): () => void {
  const show = (list: DraftAttachment[]) => (draftAttachmentNames.value = list.map(({ id, name, size }) => ({ id, name, size })));
  void listDraftAttachments().then(show);
  return watchDraftAttachments(show);
}

// ------------------------------------------------------------------ saving

/**
 * Attaches the waiting images to the case just saved, one batch per source (an
 * attachment records one source). Each batch leaves the form once stored; one
 * that could not be stored (a full disk) waits in the pending list to be
 * attached again, never in the form, where the next case would take it.
 * Returns whether every image was attached.
 */
async function attachDraftFiles(caseId: string): Promise<boolean> {
  const list = await listDraftAttachments();
  if (list.length === 0) return true;
  const { addAttachments } = await import('../../lib/attachments/attachments');
  const groups = new Map<string, DraftAttachment[]>();
  for (const a of list) {
    const key = `${a.source} ${a.sourceUrl ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  let allAttached = true;
  for (const group of groups.values()) {
    const files = group.map((a) => new File([dataUrlToBlob(a.dataUrl)], a.name, { type: a.type }));
    try {
      await addAttachments(caseId, files, { source: group[0]!.source, sourceUrl: group[0]!.sourceUrl, uploadedBy: agentName.value });
    } catch (error) {
      console.error('images not attached', error);
      allAttached = false;
      for (const a of group) await keepForLater(a);
    }
    for (const a of group) await removeDraftAttachment(a.id);
  }
  return allAttached;
}

/** An image that could not be attached: offered again in the pending list ("Attach image to case"). */
function keepForLater(a: DraftAttachment): Promise<void> {
  const kind = a.source === 'page' ? 'image' : a.source;
  return addPending({
    kind: 'image',
    id: newId(),
    action: 'attachImageToCase',
    source: { kind, url: a.sourceUrl, capturedAt: Date.now() },
    image: { dataUrl: a.dataUrl, name: a.name, type: a.type, size: a.size },
  });
}

/** The case was created from the form: its waiting images and inbox note go with it. */
export async function afterCaseCreated(caseId: string): Promise<void> {
  try {
    if (!(await attachDraftFiles(caseId))) captureStatus.value = { busy: false, error: 'capture.error.imagesNotAttached' };
    const noteId = inboxNoteId.value;
    if (noteId) {
      const { fileNoteOnCase } = await import('../../lib/notes/notes');
      await fileNoteOnCase(noteId, caseId, { actor: agentName.value });
    }
  } catch (error) {
    console.error('capture extras not saved', error);
    captureStatus.value = { busy: false, error: error instanceof SidecaseError ? error.key : 'capture.error.extrasNotSaved' };
  } finally {
    inboxNoteId.value = undefined;
    saveTarget.value = undefined;
    contactOffers.value = { emails: [], phones: [] };
    clearMasked();
  }
}

/** The form as a note: title, description and where it came from, as plain text. */
export function noteBodyOf(d: Draft, skipDescription = false): string {
  const from = d.source?.url ? [d.source.pageTitle, d.source.url].filter(Boolean).join(' · ') : '';
  return [d.title.trim(), skipDescription ? '' : d.description.trim(), from ? `— ${from}` : ''].filter(Boolean).join('\n\n');
}

/** "Add to this case" then Save: the draft becomes a note (and its images attachments) on that case. */
export async function addDraftToCase(target: SaveTarget): Promise<void> {
  if (saving.value) return;
  saving.value = true;
  try {
    const d = draft.value;
    const { addNote, fileNoteOnCase } = await import('../../lib/notes/notes');
    const ctx = { actor: agentName.value };
    const noteId = inboxNoteId.value;
    // An inbox note being turned into a case is filed as it is, not copied.
    if (noteId) await fileNoteOnCase(noteId, target.id, ctx);
    const body = noteBodyOf(d, noteId !== undefined && d.provenance?.description?.from === 'inbox');
    const hasImages = draftAttachmentNames.value.length > 0;
    if (body || (!noteId && !hasImages)) await addNote(target.id, { body, format: 'text' }, { ...ctx, keepUnmasked: keptOriginals.value });
    clearMasked();
    if (!(await attachDraftFiles(target.id))) captureStatus.value = { busy: false, error: 'capture.error.imagesNotAttached' };
    inboxNoteId.value = undefined;
    saveTarget.value = undefined;
    contactOffers.value = { emails: [], phones: [] };
    await resetDraft();
    showToast({ tone: 'success', message: t('capture.addedToCase', target.number), caseId: target.id });
  } catch (error) {
    if (!(error instanceof SidecaseError)) console.error('not added to the case', error);
    errors.value = { form: error instanceof SidecaseError ? error.key : 'form.error.saveFailed' };
  } finally {
    saving.value = false;
  }
}

// ------------------------------------------------------------------ pending menu results

/** A "new case" result from the context menu: into the form, as a capture would. */
export async function applyPendingDraft(item: Extract<PendingItem, { kind: 'draft' }>): Promise<void> {
  const source: DraftSource = { kind: item.source.kind, url: item.source.url, pageTitle: item.source.pageTitle, capturedAt: item.source.capturedAt };
  if (item.capture) applyCapture(item.capture, item.source.capturedAt, source);
  else {
    const text = cleanBlock(item.text ?? '', DESCRIPTION_MAX);
    const title = titleFrom(text) ?? item.source.pageTitle;
    applyFills(
      {
        ...(title ? { title: { value: title.slice(0, 200), from: text ? 'selection' : 'page' } } : {}),
        ...(text ? { description: { value: text, from: 'selection' } } : {}),
      },
      source,
    );
    if (text) applyFills(fillsFromContacts(await contactsIn(text), 'selection'));
  }
  // Masked in the background before it was stored: said, with no way back (lib/menus/redact-pending.ts).
  announceMaskedFinal(item.masked);
  await matchCustomer();
  // The page was not read: the form holds the selection (or the page's title) only, and says why.
  if (item.captureError) captureStatus.value = { busy: false, error: item.captureError };
  await removePending(item.id);
}

/** The agent's open cases for the pickers: the latest first. */
export async function openCasesForPicker(): Promise<Case[]> {
  const { listMyActiveCases } = await import('../../lib/cases/queries');
  return listMyActiveCases(agentName.value, 30);
}

function sourceLine(item: PendingItem): string {
  const from = [item.source.pageTitle, item.source.url].filter(Boolean).join(' · ');
  return from ? `\n\n— ${from}` : '';
}

export async function addPendingNote(item: Extract<PendingItem, { kind: 'note' }>, target: SaveTarget): Promise<void> {
  const { addNote } = await import('../../lib/notes/notes');
  await addNote(target.id, { body: item.text + sourceLine(item), format: 'text' }, { actor: agentName.value });
  await removePending(item.id);
  showToast({ tone: 'success', message: t('capture.addedToCase', target.number), caseId: target.id });
}

export async function pendingNoteToDraft(item: Extract<PendingItem, { kind: 'note' }>): Promise<void> {
  await applyPendingDraft({ kind: 'draft', id: item.id, action: item.action, source: item.source, text: item.text, masked: item.masked });
}

/**
 * A pending image as it will be attached: a screenshot goes through the
 * editor first; undefined when the agent cancelled (it stays pending).
 */
async function pendingImageFile(item: Extract<PendingItem, { kind: 'image' }>): Promise<File | undefined> {
  const blob = dataUrlToBlob(item.image.dataUrl);
  if (item.source.kind !== 'screenshot') return new File([blob], item.image.name, { type: item.image.type });
  const { editImageBeforeAttaching } = await import('../redaction/edit-image');
  return editImageBeforeAttaching(blob, item.image.name);
}

export async function attachPendingImage(item: Extract<PendingItem, { kind: 'image' }>, target: SaveTarget): Promise<void> {
  const file = await pendingImageFile(item);
  if (!file) return;
  const { addAttachments } = await import('../../lib/attachments/attachments');
  await addAttachments(target.id, [file], {
    source: item.source.kind === 'screenshot' ? 'screenshot' : 'page',
    sourceUrl: item.source.url,
    uploadedBy: agentName.value,
  });
  await removePending(item.id);
  showToast({ tone: 'success', message: t('capture.attachedToCase', target.number), caseId: target.id });
}

export async function pendingImageToDraft(item: Extract<PendingItem, { kind: 'image' }>): Promise<void> {
  const file = await pendingImageFile(item);
  if (!file) return;
  const added = await attachImageToDraft(file, item.source.kind === 'screenshot' ? 'screenshot' : 'page', {
    name: file.name,
    sourceUrl: item.source.url,
  });
  if (added) await removePending(item.id);
}

export { removePending };

// ------------------------------------------------------------------ notes inbox

/** "Turn into a case": the inbox note fills the form; Save files the note on the new case. */
export function turnInboxNoteIntoCase(note: { id: string; text: string }): void {
  const text = cleanBlock(note.text, DESCRIPTION_MAX);
  const title = titleFrom(text);
  let next = addToDescription(draft.value, text, 'inbox');
  next = fillDraft(next, title ? { title: { value: title.slice(0, 200), from: 'inbox' } } : {}).draft;
  updateDraft(next);
  inboxNoteId.value = note.id;
  document.querySelector<HTMLElement>('form[name="quick-create"] [name="title"]')?.focus();
}
