import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, typeInto, type ExtensionBrowser } from './support/browser';
import { readTable, saveForm, setAgentSettings } from '../fixtures/pages/harness';

let ext: ExtensionBrowser;
let number = '';

beforeAll(async () => {
  ext = await launchWithExtension();
  await setAgentSettings(ext);
  const panel = await ext.openPage('sidepanel.html');
  await typeInto(panel, 'title', 'Kettle does not switch off');
  await typeInto(panel, 'customer.name', 'Ilona Példa');
  await typeInto(panel, 'customer.email', 'ilona.pelda@example.org');
  number = /CAS-\d{6}-[0-9A-Z]{10}/.exec(await saveForm(panel))![0];
  await panel.close();
});
afterAll(async () => {
  await ext?.close();
});

describe('no duplicate cases', () => {
  it("offers the customer's open case and adds the new content to it as a note instead of creating a duplicate", async () => {
    const panel = await ext.openPage('sidepanel.html');
    await typeInto(panel, 'customer.email', 'ilona.pelda@example.org');
    const offer = await panel.waitForSelector(`.duplicate-offer li[data-case-number="${number}"]`);
    expect(await offer!.evaluate((el) => el.textContent)).toContain('Kettle does not switch off');
    expect(await panel.$('.duplicate-offer button[name="create-new-case"]')).not.toBeNull();

    await panel.click(`.duplicate-offer li[data-case-number="${number}"] button[name="add-to-case"]`);
    await typeInto(panel, 'description', 'It happened again this morning.');
    const casesBefore = (await readTable(panel, 'cases')).length;
    const toast = await saveForm(panel);
    expect(toast).toBe(`Added to ${number}`);
    expect((await readTable(panel, 'cases')).length).toBe(casesBefore);
    const notes = await readTable<{ body: string; caseId?: string }>(panel, 'notes');
    expect(notes.some((n) => n.body.includes('It happened again this morning.'))).toBe(true);
    // The form is empty again.
    expect(await panel.$eval('[name="customer.email"]', (el) => (el as HTMLInputElement).value)).toBe('');
    await panel.close();
  });

  it('creates a new case for the same customer when the agent chooses "Create new case"', async () => {
    const panel = await ext.openPage('sidepanel.html');
    await typeInto(panel, 'customer.email', 'ilona.pelda@example.org');
    await panel.waitForSelector('.duplicate-offer');
    await panel.click('.duplicate-offer button[name="create-new-case"]');
    await typeInto(panel, 'title', 'Second kettle, different fault');
    const casesBefore = (await readTable(panel, 'cases')).length;
    expect(await saveForm(panel)).toMatch(/created/);
    expect((await readTable(panel, 'cases')).length).toBe(casesBefore + 1);
    const customers = await readTable<{ emails: string[] }>(panel, 'customers');
    expect(customers.filter((c) => c.emails.includes('ilona.pelda@example.org'))).toHaveLength(1);
    await panel.close();
  });
});
