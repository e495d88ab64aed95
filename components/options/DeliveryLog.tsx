import { useSignal } from '@preact/signals';
import { formatTime, t } from '../../lib/i18n/t';
import { sendMessage } from '../../lib/messages';
import { deliveryLog, type DeliveryLogRow } from '../../lib/sync';
import { useLiveQuery } from '../shell/use-live-query';
import '../sync/sync.css';

/**
 * The options page's delivery log: every attempt, newest first, with "Retry"
 * on a change that still waits. Rows hold message keys and HTTP statuses only:
 * no URL, token or secret ever reaches this table.
 */
export function DeliveryLog() {
  const rows = useLiveQuery(() => deliveryLog(100), []);
  const retryError = useSignal<string | undefined>(undefined);

  const retry = async (row: DeliveryLogRow) => {
    retryError.value = undefined;
    const reply = await sendMessage('sync.retry', { outboxId: row.outboxId });
    if (!reply.ok) retryError.value = reply.error;
  };

  return (
    <section class="delivery-log" aria-labelledby="delivery-log-heading">
      <h2 id="delivery-log-heading">{t('sync.log.heading')}</h2>
      {retryError.value && (
        <p class="sync-problem" role="alert">
          {t(retryError.value)}
        </p>
      )}
      {rows === undefined ? (
        <p class="loading" aria-busy="true">
          {t('app.loading')}
        </p>
      ) : rows.length === 0 ? (
        <p class="empty">{t('sync.log.empty')}</p>
      ) : (
        <table class="delivery-log__table">
          <thead>
            <tr>
              <th scope="col">{t('sync.log.time')}</th>
              <th scope="col">{t('sync.log.event')}</th>
              <th scope="col">{t('sync.log.status')}</th>
              <th scope="col">{t('sync.log.attempts')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('sync.log.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-delivery-id={row.id} data-outbox-id={row.outboxId} data-ok={row.ok ? 'true' : 'false'}>
                <td>{formatTime(row.at)}</td>
                <td>
                  <code>{row.type}</code>
                </td>
                <td class={row.ok ? 'sync-ok' : 'sync-problem'}>
                  {row.status !== undefined ? `${row.status} · ` : ''}
                  {row.ok ? t('sync.log.delivered') : t(row.error ?? 'sync.error.network')}
                </td>
                <td>{row.attempts}</td>
                <td>
                  {row.canRetry && (
                    <button type="button" name="retry" data-outbox-id={row.outboxId} onClick={() => void retry(row)}>
                      {t('sync.log.retry')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
