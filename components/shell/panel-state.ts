/**
 * The panel's state, as signals. Components render these and call lib/; no
 * business rule lives here.
 */
import { signal } from '@preact/signals';

/** The header's three views; a case opens over them. */
export type ListView = 'new' | 'cases' | 'inbox';
export type View = { name: ListView } | { name: 'case'; id: string };
/** A case's sections, as tabs. */
export const CASE_TABS = ['details', 'notes', 'attachments', 'timeline'] as const;
export type CaseTab = (typeof CASE_TABS)[number];

export const view = signal<View>(viewFromHash());
/** The tab shown when a case is open: Details each time another case opens. */
export const caseTab = signal<CaseTab>('details');
export const agentName = signal('Agent');
/** The header's counts: my active cases, and what waits in the inbox. Unknown until their module has read them. */
export const caseCount = signal<number | undefined>(undefined);
/** The header counts my active cases up to this many, then shows "999+": a full count walked every case after each save, and the next save waited for it. */
export const CASE_COUNT_CAP = 1000;
export const inboxCount = signal<number | undefined>(undefined);

/**
 * The tab the panel works on when opened as `sidepanel.html?tab=<id>` (tests,
 * outside harnesses, a pop-out window); otherwise the active tab of its window.
 */
export const boundTabId: number | undefined = (() => {
  const id = Number(new URLSearchParams(location.search).get('tab'));
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
})();

export interface ToastMessage {
  id: number;
  message: string;
  caseId?: string;
  tone: 'success' | 'error';
}
export const toast = signal<ToastMessage | undefined>(undefined);

let toastTimer: ReturnType<typeof setTimeout> | undefined;
export function showToast(next: Omit<ToastMessage, 'id'>): void {
  toast.value = { ...next, id: Date.now() };
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (toast.value = undefined), 8000);
}

export function openCase(id: string): void {
  const current = view.peek();
  if (current.name !== 'case' || current.id !== id) caseTab.value = 'details';
  view.value = { name: 'case', id };
  history.replaceState(null, '', `${location.pathname}${location.search}#case=${encodeURIComponent(id)}`);
}

/** Shows one of the header's views (New, Cases, Inbox). */
export function showView(name: ListView): void {
  if (view.peek().name !== name) view.value = { name };
  history.replaceState(null, '', `${location.pathname}${location.search}${name === 'new' ? '' : `#${name}`}`);
}

/** The New view: where the quick-create form is. */
export function goHome(): void {
  showView('new');
}

function viewFromHash(): View {
  const match = /^#case=([0-9A-Z]{26})$/.exec(location.hash);
  if (match?.[1]) return { name: 'case', id: match[1] };
  // `#cases` / `#inbox`: a panel reopened where it was (and the bench's list-scrolling runs).
  if (location.hash === '#cases' || location.hash === '#inbox') return { name: location.hash.slice(1) as ListView };
  return { name: 'new' };
}
