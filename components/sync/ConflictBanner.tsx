import { useSignal } from '@preact/signals';
import { t } from '../../lib/i18n/t';
import { sendMessage } from '../../lib/messages';
import { recordSyncStatus } from '../../lib/sync';
import type { Entity } from '../../lib/sync/records';
import { useLiveQuery } from '../shell/use-live-query';
import './sync.css';

/**
 * "Changed elsewhere — Load their version / Keep mine", the desks' Load
 * behaviour: when the backend and this browser both changed a record, nothing
 * is overwritten until the agent chooses. The choice runs in the background
 * (lib/sync/conflicts.ts), which then delivers "mine" right away.
 */
export function ConflictBanner(props: { entity: Entity; id: string }) {
  const data = useLiveQuery(() => recordSyncStatus(props.entity, props.id), [props.entity, props.id]);
  const busy = useSignal(false);
  const error = useSignal<string | undefined>(undefined);
  if (data?.status !== 'conflict') return null;

  const choose = async (choice: 'theirs' | 'mine') => {
    busy.value = true;
    error.value = undefined;
    try {
      const reply = await sendMessage('sync.resolveConflict', { entity: props.entity, id: props.id, choice });
      if (!reply.ok) error.value = reply.error;
    } finally {
      busy.value = false;
    }
  };

  return (
    <div class="conflict-banner" role="alert" aria-busy={busy.value}>
      <p class="conflict-banner__text">
        <strong>{t('sync.conflict.banner')}</strong> — {t('sync.conflict.explain')}
      </p>
      <div class="actions">
        <button type="button" name="load-theirs" disabled={busy.value || !data.hasTheirs} onClick={() => void choose('theirs')}>
          {t('sync.conflict.loadTheirs')}
        </button>
        <button type="button" name="keep-mine" disabled={busy.value} onClick={() => void choose('mine')}>
          {t('sync.conflict.keepMine')}
        </button>
      </div>
      {error.value && <p class="sync-problem">{t(error.value)}</p>}
    </div>
  );
}
