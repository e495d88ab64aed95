import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { countRows, launchWithExtension, readTable, typeInto, storedCase, type ExtensionBrowser } from './support/browser';
import { attachInImageRedactor } from './support/image-redactor';
import { confirmResolution, createCase, goHome, openByNumber, pressSave, resolveCase, showTab, timelineKinds, uploadFiles } from './support/case-work';

let ext: ExtensionBrowser;
let files: string;

// A 1×1 PNG, written as bytes by the test (and pasted from the page as a File).
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const MINUTE = 60_000;

/** The extension APIs the tests call inside the extension's own page and service worker (they run there, not in Node). */
declare const chrome: {
  storage: { local: { get(key: string): Promise<Record<string, unknown>> } };
  action: { getBadgeText(details: object): Promise<string> };
};

beforeAll(async () => {
  ext = await launchWithExtension();
  files = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecase-rules-files-'));
  fs.writeFileSync(path.join(files, 'receipt.png'), Buffer.from(PNG_BASE64, 'base64'));
  // Just over 1 MB: refused once the per-file limit is set to 1 MB.
  fs.writeFileSync(path.join(files, 'big-scan.bin'), Buffer.alloc(1024 * 1024 + 200_000, 7));
});
afterAll(async () => {
  await ext?.close();
  fs.rmSync(files, { recursive: true, force: true });
});





/** Rewrites fields of a stored case behind the app's back, as a sync or an older build might. */
async function patchStoredCase(page: Page, number: string, patch: Record<string, unknown>): Promise<void> {
  await page.evaluate(
    (n, changes) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('sidecase');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const tx = request.result.transaction('cases', 'readwrite');
          const store = tx.objectStore('cases');
          const get = store.index('number').get(n);
          get.onsuccess = () => store.put({ ...(get.result as object), ...changes });
          tx.oncomplete = () => {
            request.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    number,
    patch,
  );
}


async function textOf(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (el) => el.textContent ?? '');
}

/** The text of the elements a control's aria-describedby points at. */
async function describedText(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

/**
 * Options → Case work, as an agent sets it: wait until the form has loaded the
 * stored values (Save is disabled until then), change, press Save once.
 */
async function setCaseSettings(changes: { parentChildPolicy?: string; maxAttachmentMb?: number }): Promise<void> {
  const page = await ext.openPage('options.html');
  await page.waitForSelector('form[name="case-settings"][data-loaded="true"] button[name="saveCaseSettings"]:not([disabled])');
  if (changes.parentChildPolicy) await page.select('form[name="case-settings"] select[name="parentChildPolicy"]', changes.parentChildPolicy);
  if (changes.maxAttachmentMb !== undefined) {
    await page.click('form[name="case-settings"] [name="maxAttachmentMb"]', { count: 3 });
    await page.keyboard.type(String(changes.maxAttachmentMb));
  }
  await page.click('form[name="case-settings"] button[name="saveCaseSettings"]');
  await page.waitForFunction(() => document.querySelector('form[name="case-settings"] [role="status"]')?.textContent === 'Saved.', { timeout: 15_000 });
  const stored = await page.evaluate(async () => (await chrome.storage.local.get('caseSettings')).caseSettings as Record<string, unknown> | undefined);
  expect(stored).toMatchObject(changes);
  await page.close();

  // Opened again, the form shows what was stored, not the defaults.
  const again = await ext.openPage('options.html');
  await again.waitForSelector('form[name="case-settings"][data-loaded="true"]');
  if (changes.parentChildPolicy) {
    expect(await again.$eval('form[name="case-settings"] select[name="parentChildPolicy"]', (el) => (el as HTMLSelectElement).value)).toBe(changes.parentChildPolicy);
  }
  if (changes.maxAttachmentMb !== undefined) {
    expect(await again.$eval('form[name="case-settings"] [name="maxAttachmentMb"]', (el) => (el as HTMLInputElement).value)).toBe(String(changes.maxAttachmentMb));
  }
  await again.close();
}

async function badgeText(): Promise<string> {
  const worker = await ext.serviceWorker();
  return worker.evaluate(() => chrome.action.getBadgeText({}));
}

describe('case rules in the side panel', () => {
  it('cancelling a case makes it read-only with the reason shown, the timeline says cancelled, and reopening makes it editable again', async () => {
    const page = await ext.openPage('sidepanel.html');
    const number = await createCase(page, 'Duplicate invoice sent twice', { name: 'Ana Exemplu', email: 'ana.exemplu@example.ro' });
    await openByNumber(page, number);

    await page.click('.case-actions button[name="cancel"]');
    await page.waitForSelector('dialog[data-name="cancel"][open]');
    expect(await textOf(page, 'dialog[data-name="cancel"]')).toContain('closed as cancelled');
    await page.click('dialog[data-name="cancel"] button[name="confirm"]');
    await page.waitForSelector('.case-detail[data-state="cancelled"]');
    expect(await page.$('dialog[data-name="cancel"]')).toBeNull();

    const reason = 'This case is cancelled and read-only. Reopen it to make changes.';
    expect(await textOf(page, '#case-readonly-reason p')).toBe(reason);
    for (const control of ['button[name="edit.title"]', '.case-actions button[name="resolve"]', '.case-actions button[name="reassign"]', 'input[name="attachments"]']) {
      expect(await page.$eval(control, (el) => (el as HTMLButtonElement | HTMLInputElement).disabled), control).toBe(true);
    }
    expect(await describedText(page, 'button[name="edit.title"]')).toContain(reason);
    expect(await describedText(page, '.case-actions button[name="resolve"]')).toContain(reason);
    expect(await page.$eval('form[name="follow-up"] fieldset', (el) => (el as HTMLFieldSetElement).disabled)).toBe(true);

    expect((await timelineKinds(page))[0]).toBe('cancelled');
    expect(await textOf(page, '.timeline__item[data-kind="cancelled"] .timeline__what')).toBe('Cancelled');
    const stored = await storedCase(page, number);
    expect(stored.state).toBe('cancelled');
    expect(stored.statusReason).toBe('cancelled');

    await page.click('button[name="reopen"]');
    await page.waitForSelector('.case-detail[data-state="active"]');
    expect(await page.$('#case-readonly-reason')).toBeNull();
    expect(await page.$eval('button[name="edit.title"]', (el) => (el as HTMLButtonElement).disabled)).toBe(false);
    expect((await timelineKinds(page)).slice(0, 2)).toEqual(['reopened', 'cancelled']);
    expect(await textOf(page, '.timeline__item[data-kind="reopened"] .timeline__detail')).toBe('Cancelled → Active');
    expect((await storedCase(page, number)).state).toBe('active');
    await page.close();
  });

  it('reassigning a case to another agent and team is recorded as old → new, and the case leaves My active cases', async () => {
    const page = await ext.openPage('sidepanel.html');
    const number = await createCase(page, 'Refund for a double charge', { name: 'Budi Contoh', email: 'budi.contoh@example.id' });
    await openByNumber(page, number);

    await page.click('.case-actions button[name="reassign"]');
    await page.waitForSelector('dialog[data-name="reassign"][open] form[name="reassign"]');
    expect(await page.$eval('form[name="reassign"] [name="owner"]', (el) => (el as HTMLInputElement).value)).toBe('Agent');
    await page.click('form[name="reassign"] [name="owner"]', { count: 3 });
    await page.keyboard.type('Siti Rahma');
    await typeInto(page, 'team', 'Billing');
    await page.click('form[name="reassign"] button[name="confirm"]');
    await page.waitForFunction(() => !document.querySelector('dialog[data-name="reassign"]'));

    await page.waitForSelector('.timeline__item[data-kind="owner"]');
    expect((await timelineKinds(page))[0]).toBe('owner');
    expect(await textOf(page, '.timeline__item[data-kind="owner"] .timeline__what')).toBe('Reassigned');
    expect(await textOf(page, '.timeline__item[data-kind="owner"] .timeline__detail')).toBe('Agent → Siti Rahma / Billing');
    const stored = await storedCase(page, number);
    expect(stored.owner).toBe('Siti Rahma');
    expect(stored.team).toBe('Billing');

    await goHome(page);
    await page.waitForFunction(() => document.querySelector('#my-cases-heading')?.textContent?.startsWith('My active cases'));
    await page.waitForFunction((n) => !document.querySelector(`.case-list [data-case-number="${n}"]`), {}, number);
    await page.select('select[name="view"]', 'allActive');
    await page.waitForSelector(`.case-list [data-case-number="${number}"]`);
    await page.close();
  });

  it('an open follow-up blocks cancelling with an offer to close it, and once completed the case can be cancelled', async () => {
    const page = await ext.openPage('sidepanel.html');
    const number = await createCase(page, 'Replacement card not delivered', { name: 'Ion Popescu', email: 'ion.popescu@example.ro' });
    await openByNumber(page, number);

    await typeInto(page, 'followUp.title', 'Check with the courier');
    await page.$eval('[name="followUp.due"]', (el) => {
      (el as HTMLInputElement).value = '2031-03-10T09:15';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.click('button[name="followUp.add"]');
    await page.waitForSelector('[data-follow-up="Check with the courier"] button[name="followUp.complete"]');
    expect(await textOf(page, '[data-follow-up="Check with the courier"]')).toContain('Due');

    await page.click('.case-actions button[name="cancel"]');
    await page.waitForSelector('dialog[data-name="cancel"][open]');
    await page.click('dialog[data-name="cancel"] button[name="confirm"]');
    const offer = await page.waitForSelector('dialog[data-name="cancel"] #open-follow-ups');
    const offerText = await offer!.evaluate((el) => el.textContent ?? '');
    expect(offerText).toContain('This case has 1 open follow-up(s). Close them first.');
    expect(offerText).toContain('Check with the courier');
    expect(await textOf(page, 'dialog[data-name="cancel"] button[name="closeFollowUps"]')).toBe('Close them and cancel');
    expect((await storedCase(page, number)).state).toBe('active');

    // The agent keeps the case open and completes the follow-up by hand instead.
    await page.click('dialog[data-name="cancel"] button[name="dismiss"]');
    await page.waitForFunction(() => !document.querySelector('dialog[data-name="cancel"]'));
    await page.click('[data-follow-up="Check with the courier"] button[name="followUp.complete"]');
    await page.waitForSelector('[data-follow-up="Check with the courier"].follow-up--done');
    expect(await textOf(page, '[data-follow-up="Check with the courier"]')).toContain('Done');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.timeline__item[data-kind="followUp"] .timeline__what')].some((el) => el.textContent === 'Follow-up completed'),
    );

    await page.click('.case-actions button[name="cancel"]');
    await page.waitForSelector('dialog[data-name="cancel"][open]');
    await page.click('dialog[data-name="cancel"] button[name="confirm"]');
    await page.waitForSelector('.case-detail[data-state="cancelled"]');
    expect(await page.$('#open-follow-ups')).toBeNull();
    expect((await storedCase(page, number)).state).toBe('cancelled');
    await page.close();
  });

  it('an open follow-up blocks merging: nothing moves, and "Close them and merge" closes it and merges', async () => {
    const page = await ext.openPage('sidepanel.html');
    const target = await createCase(page, 'Invoice 88 charged twice', { name: 'Mária Példa', email: 'maria.pelda@example.hu' });
    const source = await createCase(page, 'Second charge on invoice 88', { name: 'Mária Példa', email: 'maria.pelda@example.hu' });
    await openByNumber(page, source);
    await typeInto(page, 'followUp.title', 'Ask the bank for the trace');
    await page.$eval('[name="followUp.due"]', (el) => {
      (el as HTMLInputElement).value = '2031-04-02T10:00';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.click('button[name="followUp.add"]');
    await page.waitForSelector('[data-follow-up="Ask the bank for the trace"] button[name="followUp.complete"]');

    await page.click('.case-actions button[name="merge"]');
    await page.waitForSelector('dialog[data-name="merge"][open]');
    await typeInto(page, 'merge.search', target.split('-')[1]!);
    await page.waitForSelector(`[name="merge.target"][value="${target}"]`);
    await page.click(`[name="merge.target"][value="${target}"]`);
    await page.click('form[name="merge"] button[name="confirm"]');

    const offer = await page.waitForSelector('dialog[data-name="merge"] #open-follow-ups');
    const offerText = await offer!.evaluate((el) => el.textContent ?? '');
    expect(offerText).toContain('This case has 1 open follow-up(s). Close them first.');
    expect(offerText).toContain('Ask the bank for the trace');
    expect(await textOf(page, 'dialog[data-name="merge"] button[name="closeFollowUps"]')).toBe('Close them and merge');
    const refused = await storedCase(page, source);
    expect(refused.state).toBe('active');
    expect(refused.mergedIntoId).toBeUndefined();
    const followUps = await readTable<{ caseId: string; done: boolean }>(page, 'followUps');
    expect(followUps.filter((f) => f.caseId === refused.id).map((f) => f.done)).toEqual([false]);

    await page.click('dialog[data-name="merge"] button[name="closeFollowUps"]');
    await page.waitForSelector('.case-detail[data-state="cancelled"]');
    expect(await page.$eval('#case-readonly-reason', (el) => el.textContent)).toContain(target);
    const merged = await storedCase(page, source);
    expect(merged).toMatchObject({ state: 'cancelled', statusReason: 'merged', mergedIntoId: (await storedCase(page, target)).id });
    const closed = await readTable<{ caseId: string; done: boolean }>(page, 'followUps');
    expect(closed.filter((f) => f.caseId === merged.id).map((f) => f.done)).toEqual([true]);
    await page.close();
  });

  it('an urgent case shows its SLA timers in words, a case past its deadlines reads breached, and the toolbar badge counts the cases near breach', async () => {
    const page = await ext.openPage('sidepanel.html');
    const fresh = await createCase(page, 'Checkout fails for every customer', { name: 'Made Contoh', email: 'made@example.id' }, 'urgent');
    const late = await createCase(page, 'Password reset mail never arrives', { name: 'Maria Exemplu', email: 'maria@example.ro' }, 'urgent');
    const close = await createCase(page, 'Contract renewal quote needed', { name: 'Kata Példa', email: 'kata@example.hu' }, 'urgent');
    expect(await badgeText()).toBe('');

    await openByNumber(page, fresh);
    await page.waitForSelector('.sla [data-sla="firstResponse"]');
    const timers = await page.$$eval('.sla .sla__timer', (items) =>
      items.map((i) => ({
        name: i.getAttribute('data-sla'),
        level: i.getAttribute('data-level'),
        label: i.querySelector('.sla__label')?.textContent,
        words: i.querySelector('.sla__level')?.textContent,
        remaining: i.querySelector('.sla__remaining')?.textContent ?? '',
      })),
    );
    expect(timers.map(({ remaining: _r, ...rest }) => rest)).toEqual([
      { name: 'firstResponse', level: 'ok', label: 'First response', words: 'On track' },
      { name: 'resolve', level: 'ok', label: 'Resolve by', words: 'On track' },
    ]);
    expect(timers.every((timer) => timer.remaining.endsWith('left'))).toBe(true);
    await goHome(page);

    // One case past both deadlines, one in the last quarter of its first-response time.
    const now = Date.now();
    await patchStoredCase(page, late, {
      createdAt: now - 120 * MINUTE,
      sla: { firstResponseBy: now - 60 * MINUTE, resolveBy: now - 10 * MINUTE },
      slaDueAt: now - 60 * MINUTE,
    });
    await patchStoredCase(page, close, {
      createdAt: now - 55 * MINUTE,
      sla: { firstResponseBy: now + 5 * MINUTE, resolveBy: now + 185 * MINUTE },
      slaDueAt: now + 5 * MINUTE,
    });

    await openByNumber(page, late);
    await page.waitForSelector('.sla [data-sla="resolve"][data-level="breached"]');
    expect(await textOf(page, '.sla [data-sla="firstResponse"] .sla__level')).toBe('Breached');
    expect(await textOf(page, '.sla [data-sla="resolve"] .sla__level')).toBe('Breached');
    expect(await textOf(page, '.sla [data-sla="resolve"] .sla__remaining')).toMatch(/overdue$/);
    await goHome(page);

    await openByNumber(page, close);
    await page.waitForSelector('.sla [data-sla="firstResponse"][data-level="nearBreach"]');
    expect(await textOf(page, '.sla [data-sla="firstResponse"] .sla__level')).toBe('Near breach');
    expect(await textOf(page, '.sla [data-sla="resolve"] .sla__level')).toBe('On track');

    // The raw write told nobody; an agent's edit of the case does, and the badge recounts:
    // only the near-breach case counts (not the breached one, not the one on track).
    await page.click('button[name="edit.title"]');
    const title = await page.waitForSelector('form[name="edit-title"] [name="title"]');
    await title!.click({ count: 3 });
    await page.keyboard.type('Contract renewal quote needed today');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('case-title')?.textContent === 'Contract renewal quote needed today');
    const deadline = Date.now() + 10_000;
    let badge = await badgeText();
    while (badge !== '1' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      badge = await badgeText();
    }
    expect(badge).toBe('1');
    await page.close();
  });

  it('only a direct upload can be deleted, a pasted file says why it stays, and a file over the per-file limit is refused by name', async () => {
    const page = await ext.openPage('sidepanel.html');
    const number = await createCase(page, 'Damaged parcel photos', { name: 'Eszter Példa', email: 'eszter@example.hu' });
    await openByNumber(page, number);
    await showTab(page, 'attachments');
    await page.waitForSelector('.attachments .dropzone');

    // Pasted into the drop zone: stored with source "clipboard".
    await page.evaluate((base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'pasted.png', { type: 'image/png' }));
      document.querySelector('.attachments .dropzone')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, PNG_BASE64);
    // Through the screenshot editor, attached as it is.
    await attachInImageRedactor(page);
    await page.waitForSelector('[data-attachment="pasted.png"]');
    await uploadFiles(page, path.join(files, 'receipt.png'));

    const keep = 'Pasted files are kept as part of the case record.';
    expect(await textOf(page, '[data-attachment="pasted.png"] .attachment__refusal')).toBe(keep);
    expect(await page.$('[data-attachment="receipt.png"] .attachment__refusal')).toBeNull();

    // With the pasted file chosen, Delete is disabled and says why.
    await page.click('[data-attachment="pasted.png"] input[name="attachment.select"]');
    await page.waitForSelector('#attachments-undeletable');
    expect(await page.$eval('button[name="attachments.delete"]', (el) => (el as HTMLButtonElement).disabled)).toBe(true);
    expect(await describedText(page, 'button[name="attachments.delete"]')).toBe(`pasted.png: ${keep}`);
    await page.click('[data-attachment="receipt.png"] input[name="attachment.select"]');
    await page.waitForFunction(() => document.querySelector('button[name="attachments.delete"]')?.textContent === 'Delete selected (2)');
    expect(await page.$eval('button[name="attachments.delete"]', (el) => (el as HTMLButtonElement).disabled)).toBe(true);

    // The direct upload alone can be deleted.
    await page.click('[data-attachment="pasted.png"] input[name="attachment.select"]');
    await page.waitForFunction(() => document.querySelector<HTMLButtonElement>('button[name="attachments.delete"]')?.disabled === false);
    await page.click('button[name="attachments.delete"]');
    await page.waitForFunction(() => !document.querySelector('[data-attachment="receipt.png"]'));
    expect(await page.$('[data-attachment="pasted.png"]')).not.toBeNull();
    expect(await textOf(page, '.attachments h3 .count')).toBe('(1)');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.timeline__item[data-kind="attachment"] .timeline__what')].some((el) => el.textContent === 'Files deleted'),
    );

    // A 1 MB limit set in the options: the bigger file is refused, by name, and nothing is stored.
    await setCaseSettings({ maxAttachmentMb: 1 });
    await page.bringToFront();
    const rows = await countRows(page, 'attachments');
    const picker = await page.waitForSelector('input[type="file"][name="attachments"]');
    await picker!.uploadFile(path.join(files, 'big-scan.bin'));
    await page.waitForSelector('#attachments-error');
    expect(await textOf(page, '#attachments-error')).toBe('big-scan.bin is larger than the 1 MB limit.');
    expect(await page.$('[data-attachment="big-scan.bin"]')).toBeNull();
    expect(await countRows(page, 'attachments')).toBe(rows);
    await setCaseSettings({ maxAttachmentMb: 25 });
    await page.close();
  });

  it('with "children first" a parent with an active child cannot be resolved, and with "cascade" resolving the parent resolves the child', async () => {
    const page = await ext.openPage('sidepanel.html');
    const parent = await createCase(page, 'Branch office network down', { name: 'Rina Contoh', email: 'rina@example.id' });
    await openByNumber(page, parent);
    await page.click('.case-detail button[name="newChild"]');
    await page.waitForSelector('form[name="quick-create"] .form__parent');
    // The child form comes with the parent's customer: only the title is typed.
    expect(await page.$eval('[name="customer.email"]', (el) => (el as HTMLInputElement).value)).toBe('rina@example.id');
    await typeInto(page, 'title', 'Branch printer offline');
    // The parent's customer has an open case (the parent): the duplicate offer moves Save (pressSave
    // says how). A click on Save here saved nothing once in five fresh-clone runs in session 12, and
    // once before (fbe2fbf): the wait below ran out after 30 s.
    await pressSave(page);
    // The child's number in a toast, or whatever the form says instead: a refused save
    // fails here with the form's own words.
    await page.waitForFunction(
      (n) =>
        (/CAS-\d{6}-[0-9A-Z]{10}/.test(document.querySelector('.toast__message')?.textContent ?? '') && !document.querySelector('.toast__message')?.textContent?.includes(n)) ||
        document.querySelector('form[name="quick-create"] [role="alert"], .save-bar__summary'),
      {},
      parent,
    );
    expect(await page.$$eval('form[name="quick-create"] [role="alert"], .save-bar__summary', (els) => els.map((el) => el.textContent))).toEqual([]);
    const child = /CAS-\d{6}-[0-9A-Z]{10}/.exec(await textOf(page, '.toast__message'))![0];
    expect(child).not.toBe(parent);

    await setCaseSettings({ parentChildPolicy: 'requireChildrenResolved' });
    await page.bringToFront();
    await openByNumber(page, parent);
    await page.waitForFunction((n) => document.querySelector('.case-detail')?.textContent?.includes(n), {}, child);
    await confirmResolution(page, 'problemSolved', 'Core switch replaced.');
    await page.waitForSelector('form[name="resolve"] .form__error');
    expect(await textOf(page, 'form[name="resolve"] .form__error')).toBe('Resolve or cancel the child cases first.');
    expect((await storedCase(page, parent)).state).toBe('active');
    expect((await storedCase(page, child)).state).toBe('active');
    await page.click('dialog[data-name="resolve"] button[name="dismiss"]');
    await page.waitForFunction(() => !document.querySelector('dialog[data-name="resolve"]'));

    await setCaseSettings({ parentChildPolicy: 'cascade' });
    await page.bringToFront();
    await resolveCase(page, 'problemSolved', 'Core switch replaced.');
    // The child list on the parent shows the child resolved too.
    await page.waitForFunction(() => document.querySelector('.other-cases')?.textContent?.includes('Resolved'));
    const stored = await storedCase(page, child);
    expect(stored.state).toBe('resolved');
    expect(stored.statusReason).toBe('problemSolved');
    await setCaseSettings({ parentChildPolicy: 'independent' });
    await page.close();
  });
});
