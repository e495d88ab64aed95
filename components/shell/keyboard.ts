/**
 * The panel's shortcuts (lib/panel/shortcuts.ts), wired to what they do: each
 * goes to its view (New, Cases, Inbox) when needed and puts the focus where the agent works
 * next. One listener on the document, installed once by App.
 */
import { signal } from '@preact/signals';
import { matchShortcut, type ShortcutId } from '../../lib/panel/shortcuts';
import { showView, view, type ListView } from './panel-state';

export const helpOpen = signal(false);

const TEXT_INPUT = /^(text|search|email|tel|url|number|password|date|datetime-local|time|month|week)$/;

/** The focus is where a key press is text: a text input, a textarea or rich text. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  return target instanceof HTMLInputElement && TEXT_INPUT.test(target.type);
}

/** Focuses the first match once it is rendered (a view switch or a lazy list may take a moment). */
export function focusWhenShown(selectors: readonly string[], then?: (el: HTMLElement) => void): void {
  let tries = 0;
  const attempt = () => {
    for (const selector of selectors) {
      const el = document.querySelector<HTMLElement>(selector);
      if (el) {
        el.focus();
        then?.(el);
        return;
      }
    }
    // Timers, not animation frames: a panel in a background tab gets no frames.
    if (++tries < 60) setTimeout(attempt, 50);
  };
  attempt();
}

function show(name: ListView): void {
  if (view.peek().name !== name) showView(name);
}

const ACTIONS: Record<Exclude<ShortcutId, 'save'>, () => void> = {
  new: () => {
    show('new');
    focusWhenShown(['form[name="quick-create"] [name="title"]']);
  },
  cases: () => {
    show('cases');
    // The row the list's roving focus is on, else its first row, else the view picker of an empty
    // list (once it says so: the picker renders before the rows have been read).
    focusWhenShown(['.case-list .vlist [data-index] button[tabindex="0"]', '.case-list .vlist [data-index] button', '.case-list:has(.empty) select[name="view"]'], (el) =>
      el.scrollIntoView({ block: 'nearest' }),
    );
  },
  inbox: () => {
    show('inbox');
    // Its first card's first button, else the view's button (an empty inbox).
    focusWhenShown(['.capture-inbox button:not(:disabled)', 'button[name="view-inbox"]']);
  },
  capture: () => {
    show('new');
    focusWhenShown(['form[name="quick-create"] button[name="capture"]'], (el) => el.click());
  },
  search: () => {
    // The box is in the header, in every view: no view change until the agent types.
    focusWhenShown(['input[name="search"]']);
  },
  help: () => {
    helpOpen.value = true;
  },
};

function onKeyDown(event: KeyboardEvent): void {
  // A modal dialog keeps its keys (Escape, Tab) to itself.
  if (event.defaultPrevented || document.querySelector('dialog[open]')) return;
  const id = matchShortcut(event, isTyping(event.target));
  if (!id || id === 'save') return;
  event.preventDefault();
  ACTIONS[id]();
}

let installed = false;
export function installShortcuts(): void {
  if (installed) return;
  installed = true;
  document.addEventListener('keydown', onKeyDown);
}
