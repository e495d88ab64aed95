import { useEffect, useState } from 'preact/hooks';
import { formatTime, t } from '../../lib/i18n/t';
import type { SyncHeaderState } from '../../lib/sync/header';
import { formatBytes } from '../format';
import './sync.css';

/**
 * The panel header's sync line: pending count, last sync, what is wrong and
 * what to do, and "Sync now". Renders nothing without a backend (the default).
 *
 * Kept tiny for the first paint: Dexie, zod and the watcher arrive through a
 * dynamic import. The watcher also nudges the background after each write.
 */
export function SyncStatus() {
  const [state, setState] = useState<SyncHeaderState | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [replyError, setReplyError] = useState<string | undefined>(undefined);

  useEffect(() => {
    let live = true;
    let stop: (() => void) | undefined;
    void import('../../lib/sync/header').then(
      (header) => {
        if (live) stop = header.watchSyncHeader(setState);
      },
      () => setReplyError('app.loadFailed'),
    );
    return () => {
      live = false;
      stop?.();
    };
  }, []);

  if (!state || state.kind === 'none') return replyError ? <p class="sync-problem">{t(replyError)}</p> : null;
  const { summary } = state;

  const syncNow = async () => {
    setBusy(true);
    setReplyError(undefined);
    try {
      const { requestSyncNow } = await import('../../lib/sync/header');
      const reply = await requestSyncNow();
      // A block shows through the summary already; other failures (no answer) here.
      if (!reply.ok && reply.error !== summary.blocked) setReplyError(reply.error);
    } finally {
      setBusy(false);
    }
  };

  /** The backend's (Dynamics 365, Zendesk) refresh token is gone: sign in again; nothing in the outbox was lost meanwhile. */
  const signInAgain = async () => {
    setBusy(true);
    setReplyError(undefined);
    try {
      const result =
        state.kind === 'zendesk'
          ? await (await import('../../lib/sync/zendesk/sign-in')).signInAgainToZendesk()
          : await (await import('../../lib/sync/dynamics365/sign-in')).signInAgain();
      if (!result.ok) return setReplyError(result.error);
      const { requestSyncNow } = await import('../../lib/sync/header');
      await requestSyncNow();
    } finally {
      setBusy(false);
    }
  };

  const problem =
    summary.blocked ??
    (summary.conflicts > 0 ? 'sync.header.conflicts' : undefined) ??
    (summary.firstParked ? 'sync.header.pullParked' : undefined) ??
    (summary.errors > 0 ? 'sync.header.errors' : undefined) ??
    summary.lastError ??
    replyError;
  const count = problem === 'sync.header.conflicts' ? summary.conflicts : problem === 'sync.header.errors' ? summary.errors : undefined;

  return (
    <div class="sync-status" data-pending={summary.pending} aria-busy={busy}>
      <span class="sync-status__line" role="status">
        {summary.pending > 0 ? t('sync.pending', summary.pending) : t('sync.allSynced')}
        {' · '}
        {summary.lastSyncAt ? t('sync.lastSync', formatTime(summary.lastSyncAt)) : t('sync.never')}
      </span>
      {summary.uploading && (
        // What the browser lets us know of an upload: which file, how big, since when (no byte count).
        <p class="sync-status__upload" role="status" data-uploading={summary.uploading.name}>
          {t('sync.uploading', [summary.uploading.name, formatBytes(summary.uploading.bytes), formatTime(summary.uploading.since)])}
        </p>
      )}
      <button type="button" class="link" name="sync-now" onClick={() => void syncNow()} disabled={busy}>
        {t('sync.now')}
      </button>
      {summary.blocked === 'sync.oauth.signInAgain' && (
        <button type="button" name="d365.signInAgain" onClick={() => void signInAgain()} disabled={busy}>
          {t('sync.d365.signInAgain')}
        </button>
      )}
      {problem && (
        <p class="sync-status__problem sync-problem" role="alert" data-error-key={problem}>
          {problem === 'sync.header.pullParked' && summary.firstParked
            ? t(problem, [summary.parked, summary.firstParked.label, t(summary.firstParked.reason)])
            : count === undefined
              ? t(problem)
              : t(problem, count)}
        </p>
      )}
    </div>
  );
}
