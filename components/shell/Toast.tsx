import { t } from '../../lib/i18n/t';
import { openCase, toast } from './panel-state';

export function Toast() {
  const current = toast.value;
  return (
    <div class="toast-region" role="status" aria-live="polite">
      {current && (
        <div class={`toast toast--${current.tone}`} key={current.id}>
          <span class="toast__message">{current.message}</span>
          {current.caseId && (
            <button type="button" class="link" onClick={() => openCase(current.caseId!)}>
              {t('toast.open')}
            </button>
          )}
          <button type="button" class="toast__close" aria-label={t('toast.dismiss')} onClick={() => (toast.value = undefined)}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
