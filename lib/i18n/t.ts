/**
 * Message lookup through the browser's i18n (catalogs in public/_locales, never
 * bundled into the panel's JavaScript). Keys are written grouped by place with
 * dots (`form.title.label`); Chrome allows only [A-Za-z0-9_] in message names,
 * so the dots become underscores in the catalogs.
 */
import { browser } from 'wxt/browser';

export function catalogKey(key: string): string {
  return key.replace(/\./g, '_');
}

export function t(key: string, substitutions?: string | number | Array<string | number>): string {
  const subs = substitutions === undefined ? undefined : [substitutions].flat().map(String);
  // The generated WxtI18n type knows only literal keys; ours are built at run time.
  const i18n = browser.i18n as unknown as { getMessage(name: string, subs?: string[]): string };
  const message = i18n.getMessage(catalogKey(key), subs);
  // A missing message shows its key: visible in review, caught by the catalog test.
  return message || key;
}

/** The browser's UI language, for number and date formatting. */
export function uiLanguage(): string {
  return browser.i18n.getUILanguage();
}

let timeFormat: Intl.DateTimeFormat | undefined;
export function formatTime(at: number): string {
  timeFormat ??= new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'medium', timeStyle: 'short' });
  return timeFormat.format(at);
}
