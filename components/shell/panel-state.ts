/**
 * The panel's state, as signals. Components render these and call lib/; no
 * business rule lives here.
 */
import { signal } from '@preact/signals';

export type View = { name: 'home' } | { name: 'case'; id: string };

export const view = signal<View>(viewFromHash());
export const agentName = signal('Agent');

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
  view.value = { name: 'case', id };
  history.replaceState(null, '', `${location.pathname}${location.search}#case=${encodeURIComponent(id)}`);
}

export function goHome(): void {
  view.value = { name: 'home' };
  history.replaceState(null, '', `${location.pathname}${location.search}`);
}

function viewFromHash(): View {
  const match = /^#case=([0-9A-Z]{26})$/.exec(location.hash);
  return match?.[1] ? { name: 'case', id: match[1] } : { name: 'home' };
}
