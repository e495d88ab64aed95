import './redaction.css';
import { t } from '../../lib/i18n/t';
import { confirmMasked, hasUnansweredAsk, isNoticeDismissed, keepUnmasked, noticeItems } from './redaction-state';
import { summaryOf } from './summary';
import { useMaskedFormPaste } from './masked-paste';

/**
 * After a capture or paste: what was masked, each masked form highlighted,
 * and "Keep unmasked" for each (a deliberate click; Save logs it on the
 * case's timeline). Items of a kind set to "ask" also offer "Keep masked",
 * and Save waits until each is answered.
 */
export function RedactionNotice() {
  // The notice sits beside the form while it is open: text pasted into the form is masked as it arrives.
  useMaskedFormPaste();
  const items = noticeItems.value;
  if (items.length === 0 || isNoticeDismissed.value) return null;
  const masked = items.filter((i) => i.state !== 'kept');
  return (
    <section class="redaction-notice" role="status" aria-label={t('redaction.options.title')}>
      <p>
        {masked.length > 0 && t('redaction.notice.masked', summaryOf(masked.map((i) => i.label)))}
        {hasUnansweredAsk.value && <> {t('redaction.notice.ask')}</>}
        {items.some((i) => i.isFinal) && <> {t('redaction.notice.final')}</>}
      </p>
      <ul>
        {items.map((item) => (
          <li key={item.id} data-label={item.label} data-state={item.state}>
            {item.state === 'kept' ? (
              <>
                <span>{item.original}</span> <em>{t('redaction.notice.kept')}</em>
              </>
            ) : (
              <>
                <mark>{item.masked}</mark> <span class="redaction-notice__label">{t(`redaction.label.${item.label}`)}</span>{' '}
                {!item.isFinal && (
                  <button type="button" name="keep-unmasked" class="link" onClick={() => keepUnmasked(item.id)}>
                    {t('redaction.notice.keep')}
                  </button>
                )}
                {item.isAsked && item.state === 'masked' && (
                  <>
                    {' '}
                    <button type="button" name="keep-masked" class="link" onClick={() => confirmMasked(item.id)}>
                      {t('redaction.notice.keepMasked')}
                    </button>
                  </>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
      {!hasUnansweredAsk.value && (
        <button type="button" name="dismiss-redaction" class="link" onClick={() => (isNoticeDismissed.value = true)}>
          {t('redaction.notice.dismiss')}
        </button>
      )}
    </section>
  );
}
