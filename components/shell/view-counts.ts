/**
 * The header's counts, kept live: my active cases (the Cases view's default
 * list) and what waits in the inbox (context-menu results that are not a
 * new case, and quick notes with no case). Loaded after first paint: Dexie
 * and the queries are not needed to type.
 */
import { effect } from '@preact/signals';
import { liveQuery } from 'dexie';
import { countMyActiveCasesUpTo } from '../../lib/cases/queries';
import { listPending, watchPending, type PendingItem } from '../../lib/inbox/pending';
import { listInboxNotes } from '../../lib/notes/notes';
import { CASE_COUNT_CAP, agentName, caseCount, inboxCount } from './panel-state';

/** As many quick notes as the inbox shows (components/notes/NotesInbox.tsx). */
const INBOX_NOTES_SHOWN = 50;

let started = false;
export function watchViewCounts(): void {
  if (started) return;
  started = true;
  effect(() => {
    const owner = agentName.value;
    const subscription = liveQuery(() => countMyActiveCasesUpTo(owner, CASE_COUNT_CAP)).subscribe({
      next: (count) => (caseCount.value = count),
      error: (error: unknown) => console.error('case count failed', error),
    });
    return () => subscription.unsubscribe();
  });
  let pending = 0;
  let notes = 0;
  const show = () => (inboxCount.value = pending + notes);
  const countPending = (items: PendingItem[]) => {
    // A "new case" result fills the form by itself: it never waits in the inbox.
    pending = items.filter((item) => item.kind !== 'draft').length;
    show();
  };
  void listPending().then(countPending);
  watchPending(countPending);
  liveQuery(() => listInboxNotes(INBOX_NOTES_SHOWN)).subscribe({
    next: (list) => {
      notes = list.length;
      show();
    },
    error: (error: unknown) => console.error('inbox count failed', error),
  });
}
