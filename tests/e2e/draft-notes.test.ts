import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, typeInto, type ExtensionBrowser } from './support/browser';

let ext: ExtensionBrowser;
beforeAll(async () => {
  ext = await launchWithExtension();
});
afterAll(async () => {
  await ext?.close();
});

describe('notes written while creating a case', () => {
  it('keeps them in the draft across a closed panel and saves them with the case', async () => {
    let page = await ext.openPage('sidepanel.html');
    await typeInto(page, 'title', 'Router reboots every night');
    await typeInto(page, 'customer.email', 'night.owl@example.net');
    await page.click('button[name="add-draft-note"]');
    const box = await page.waitForSelector('[data-name="note"]');
    await box!.click();
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyB');
    await page.keyboard.up('Control');
    await page.keyboard.type('Happens at 03:00');
    await page.click('button[name="saveNote"]');
    await page.waitForSelector('.draft-note');
    expect(await page.$eval('.draft-note__text', (el) => el.textContent)).toBe('Happens at 03:00');
    await page.close();

    page = await ext.openPage('sidepanel.html');
    expect(await page.$$eval('.draft-note__text', (items) => items.map((i) => i.textContent))).toEqual(['Happens at 03:00']);
    await page.click('form[name="quick-create"] button[name="save"]');
    await page.waitForSelector('.toast__message');
    expect(await page.$('.draft-note')).toBeNull();

    // The saved case carries the note, formatted, on its timeline too.
    await page.click('.toast button.link');
    await page.waitForSelector('.note .note__body');
    expect(await page.$eval('.note .note__body', (el) => el.innerHTML)).toMatch(/<(b|strong)>Happens at 03:00<\/(b|strong)>/);
    await page.waitForSelector('.timeline__item[data-kind="note"]');
    await page.close();
  });
});
