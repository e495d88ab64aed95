/**
 * "Save or discard?" before leaving a case with unsaved customer changes.
 *
 * The panel navigates by writing the `view` signal, from many places (the
 * header's Back, the toast's Open, the capture inbox, links inside the case).
 * Rather than teach each of them, this watches the signal: when it leaves a
 * case while a guard says there are unsaved changes, it puts the case back
 * before the panel re-renders (signal effects run synchronously; Preact
 * renders later), so nothing is unmounted and nothing typed is lost, and it
 * holds the destination in `pendingLeave` for the card's question.
 */
import { effect, signal } from '@preact/signals';
import { view, type View } from './panel-state';

export const pendingLeave = signal<View | undefined>(undefined);

let hasUnsavedChanges: (() => boolean) | undefined;
let passing = false;
let shown: View = view.peek();

function urlFor(next: View): string {
  const base = `${location.pathname}${location.search}`;
  if (next.name === 'case') return `${base}#case=${encodeURIComponent(next.id)}`;
  return next.name === 'new' ? base : `${base}#${next.name}`;
}

effect(() => {
  const next = view.value;
  const previous = shown;
  if (next === previous) return;
  const leaving = previous.name === 'case' && !(next.name === 'case' && next.id === previous.id);
  if (leaving && !passing && hasUnsavedChanges?.()) {
    pendingLeave.value = next;
    view.value = previous;
    // The navigation helper rewrites the address after setting the view: undo that too.
    queueMicrotask(() => history.replaceState(null, '', urlFor(previous)));
    return;
  }
  shown = next;
});

/** While mounted with unsaved changes, the customer card registers its check; returns the unregister. */
export function guardLeaving(check: () => boolean): () => void {
  hasUnsavedChanges = check;
  return () => {
    if (hasUnsavedChanges === check) hasUnsavedChanges = undefined;
  };
}

/** Go where the agent was going (after Save or Discard). */
export function continueLeaving(): void {
  const next = pendingLeave.value;
  pendingLeave.value = undefined;
  if (!next) return;
  passing = true;
  try {
    view.value = next;
  } finally {
    passing = false;
  }
  history.replaceState(null, '', urlFor(next));
}

export function stayOnCase(): void {
  pendingLeave.value = undefined;
}
