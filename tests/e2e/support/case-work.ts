/**
 * Case-work steps shared by the browser tests: create a case through the
 * quick-create form, open it from the list, go back home, read its timeline.
 */
import { expect } from 'vitest';
import type { Page } from 'puppeteer-core';
import { typeInto } from './browser';

export async function createCase(page: Page, title: string, customer: { name: string; email: string }, priority?: string): Promise<string> {
  await typeInto(page, 'title', title);
  await typeInto(page, 'customer.name', customer.name);
  await typeInto(page, 'customer.email', customer.email);
  // The suggestion box may have opened on the email: close it.
  await page.keyboard.press('Escape');
  if (priority) await page.select('form[name="quick-create"] select[name="priority"]', priority);
  const before = await page.$eval('body', () => document.querySelector('.toast__message')?.textContent ?? '');
  await page.click('form[name="quick-create"] button[name="save"]');
  await page.waitForFunction(
    (previous) => {
      const text = document.querySelector('.toast__message')?.textContent ?? '';
      return /CAS-\d{6}-[0-9A-Z]{10}/.test(text) && text !== previous;
    },
    {},
    before,
  );
  const number = /CAS-\d{6}-[0-9A-Z]{10}/.exec((await page.$eval('.toast__message', (el) => el.textContent)) ?? '')?.[0];
  expect(number).toBeTruthy();
  await page.waitForFunction(() => !document.querySelector<HTMLInputElement>('form[name="quick-create"] [name="title"]')?.value);
  return number!;
}

export async function openByNumber(page: Page, number: string): Promise<void> {
  await page.waitForSelector(`[data-case-number="${number}"] button`);
  await page.click(`[data-case-number="${number}"] button`);
  await page.waitForSelector('.case-detail');
  await page.waitForFunction((n) => document.querySelector('.case-detail .case-number')?.textContent?.includes(n), {}, number);
  // Sections still loading (attachments, notes) push the ones below them down: a click aimed at a
  // moving button can land outside the view ("Node is either not clickable"). Wait until none is busy.
  await page.waitForFunction(() => !document.querySelector('.case-detail [aria-busy="true"]'));
}

export async function goHome(page: Page): Promise<void> {
  await page.click('.app__header button.link');
  await page.waitForSelector('input[name="search"]');
}

export async function timelineKinds(page: Page): Promise<string[]> {
  await page.waitForSelector('.timeline .timeline__item');
  return page.$$eval('.timeline .timeline__item', (items) => items.map((i) => i.getAttribute('data-kind') ?? ''));
}
