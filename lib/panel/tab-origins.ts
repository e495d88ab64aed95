/**
 * The origin of each tab the agent opened the panel on (toolbar or context
 * menu: both grant activeTab, so the tab's URL is visible then). Without the
 * `tabs` permission a tab's URL is hidden otherwise, and "Always allow on this
 * site" needs to know which site: this is where it looks. storage.session:
 * gone with the browser session, like the tabs it describes.
 */
import { z } from 'zod/mini';
import { storage } from 'wxt/utils/storage';

const Origins = z.record(z.string().check(z.regex(/^\d{1,12}$/)), z.string().check(z.maxLength(300)));
const item = storage.defineItem<Record<string, string>>('session:tab-origins', { fallback: {} });
/** Enough for a day of tabs; the oldest entries go first. */
const MAX_TABS = 200;

/** `https://mail.google.com` for a web page; undefined for anything that cannot get a host permission. */
export function webOriginOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

export async function rememberTabOrigin(tabId: number | undefined, url: string | undefined): Promise<void> {
  const origin = webOriginOf(url);
  if (tabId === undefined || !origin) return;
  const parsed = Origins.safeParse(await item.getValue());
  const entries = Object.entries(parsed.success ? parsed.data : {}).filter(([id]) => id !== String(tabId));
  await item.setValue(Object.fromEntries([...entries, [String(tabId), origin]].slice(-MAX_TABS)));
}

export async function tabOrigin(tabId: number): Promise<string | undefined> {
  const parsed = Origins.safeParse(await item.getValue());
  return parsed.success ? parsed.data[String(tabId)] : undefined;
}
