import { t } from '../../lib/i18n/t';
import { loadBackendSettings, recordSyncStatus } from '../../lib/sync';
import type { Entity } from '../../lib/sync/records';
import { sendMessage } from '../../lib/messages';
import { useLiveQuery } from '../shell/use-live-query';
import './sync.css';

async function recreate(caseId: string) {
  const { db } = await import('../../lib/db/db');
  const { recreateIncident } = await import('../../lib/sync/dynamics365/deleted');
  if (await recreateIncident(caseId, { db })) void sendMessage('sync.nudge', {});
}

/**
 * A record's sync state beside it: local / syncing / synced / conflict /
 * error, and what to do when something failed. Nothing without a backend: a
 * case is not "not synced" when there is nowhere to sync to.
 */
export function SyncBadge(props: { entity: Entity; id: string }) {
  const data = useLiveQuery(async () => {
    const settings = await loadBackendSettings();
    if (settings.kind === 'none') return undefined;
    return { ...(await recordSyncStatus(props.entity, props.id)), kind: settings.kind };
  }, [props.entity, props.id]);
  if (!data) return null;
  return (
    <span class="sync-badge-wrap">
      <span class={`badge sync-badge sync-badge--${data.status}`} data-sync-status={data.status}>
        {t(`sync.status.${data.status}`)}
      </span>
      {data.kind === 'zendesk' && data.remoteId && (
        <span class="badge sync-badge__remote" data-remote-id={data.remoteId}>
          {' '}
          {t('sync.zendesk.ticketId', data.remoteId)}
        </span>
      )}
      {data.error && data.status !== 'conflict' && (
        <span class="sync-badge__error sync-problem" data-error-key={data.error}>
          {' '}
          {t(data.error)}
        </span>
      )}
      {data.kind === 'dynamics365' && props.entity === 'case' && data.error === 'sync.d365.caseDeleted' && (
        // The incident was deleted in Dynamics 365; the case stays here, held: the agent may send it again as a new incident.
        <button type="button" class="link" name="d365.recreate" onClick={() => void recreate(props.id)}>
          {t('sync.d365.recreate')}
        </button>
      )}
    </span>
  );
}
