/**
 * What the panel knows of the page the agent is on: its site (for the
 * remembered defaults, lib/panel/site-defaults.ts) and the stored case made
 * from it, if any ("already a case", lib/panel/source-case.ts). The page is
 * the tab the panel works on (its URL is visible with the toolbar click's
 * activeTab grant; otherwise its origin as the background noted it) and,
 * once the agent captured it, the URL the capture read. Loaded after the
 * panel's first paint (App.tsx); its signals are in site-signals.ts.
 */
import { computed, effect } from '@preact/signals';
import { browser } from 'wxt/browser';
import { applySiteDefaults, loadSiteDefaults, saveSiteDefaults, siteOf, type RememberedValues } from '../../lib/panel/site-defaults';
import { tabOrigin } from '../../lib/panel/tab-origins';
import { draft, updateDraft } from '../quick-create/form-state';
import { boundTabId } from './panel-state';
import { siteHost, sourceCase, tabUrl } from './site-signals';

/** The tab the panel works on, as last read. */
let tabId: number | undefined;

async function readTabUrl(): Promise<string | undefined> {
  try {
    const tab = boundTabId !== undefined ? await browser.tabs.get(boundTabId) : (await browser.tabs.query({ active: true, currentWindow: true }))[0];
    tabId = tab?.id;
    if (tab?.url) return tab.url;
    return tab?.id !== undefined ? await tabOrigin(tab.id) : undefined;
  } catch {
    return undefined;
  }
}

/** Sites whose remembered values this panel already offered: offered once, then the agent decides. */
let offeredFor: string | undefined;

async function offerRemembered(site: string | undefined): Promise<void> {
  if (!site || offeredFor === site) return;
  offeredFor = site;
  const entry = (await loadSiteDefaults())[site];
  const { draft: next, applied } = applySiteDefaults(draft.value, entry);
  if (applied.length > 0) updateDraft(next);
}

let lookup = 0;
async function lookUpSourceCase(urls: Array<string | undefined>): Promise<void> {
  const mine = ++lookup;
  if (!urls.some(siteOf)) {
    sourceCase.value = undefined;
    return;
  }
  const [{ db }, { findCaseFromSource }] = await Promise.all([import('../../lib/db/db'), import('../../lib/panel/source-case')]);
  const found = await findCaseFromSource(db, urls).catch((error: unknown) => {
    console.error('source case lookup failed', error);
    return undefined;
  });
  if (mine === lookup) sourceCase.value = found;
}

/** Changes only when the URL does, not on every keystroke in the form. */
const capturedUrl = computed(() => draft.value.source?.url);

/** Called once, after the panel's first paint. */
export async function loadSiteContext(): Promise<void> {
  tabUrl.value = await readTabUrl();
  // The side panel stays open while the agent changes tabs or the tab changes page (another
  // Gmail thread): read it again, and the remembered values and the case follow.
  const reread = async () => (tabUrl.value = await readTabUrl());
  if (boundTabId === undefined) browser.tabs.onActivated.addListener(() => void reread());
  browser.tabs.onUpdated.addListener((id, change) => {
    if (id === tabId && (change.url !== undefined || change.status === 'complete')) void reread();
  });
  // A capture (or a restored draft's source) names the page too: follow it.
  effect(() => {
    const url = capturedUrl.value;
    const site = siteOf(tabUrl.value) ?? siteOf(url);
    siteHost.value = site;
    void offerRemembered(site);
    void lookUpSourceCase([tabUrl.value, url]);
  });
}

/** After a case was saved: its values are the site's defaults now, offered again on the empty form. */
export async function afterCaseSaved(values: RememberedValues, sourceUrl: string | undefined): Promise<void> {
  const site = siteHost.value ?? siteOf(sourceUrl);
  if (site) {
    await saveSiteDefaults(site, values).catch((error: unknown) => console.error('site defaults not saved', error));
    offeredFor = undefined;
    await offerRemembered(site);
  }
  await lookUpSourceCase([tabUrl.value, sourceUrl]);
}
