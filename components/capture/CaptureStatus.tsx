import { browser } from 'wxt/browser';
import { t } from '../../lib/i18n/t';
import { captureStatus, loadCaptureActions } from './capture-state';
import { RedactionNotice } from '../redaction/RedactionNotice';

function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}

/**
 * Beneath the capture buttons: why the last capture or paste did not work
 * (what to do about it), a "page truncated" notice, and "Always allow on this
 * site" when Chrome refused the tab or read it with a one-time grant.
 */
export function CaptureStatus() {
  const status = captureStatus.value;
  const allow = () => {
    const origin = status.allowOrigin;
    if (!origin) {
      captureStatus.value = { ...status, error: 'capture.allow.unknownSite' };
      return;
    }
    // permissions.request needs the click: called before any await.
    const request = browser.permissions.request({ origins: [`${origin}/*`] });
    Promise.all([request, loadCaptureActions()])
      .then(([granted, m]) => m.afterAllowed(granted))
      .catch((error: unknown) => {
        console.error('permission request failed', error);
        captureStatus.value = { busy: false, error: 'capture.allow.refused' };
      });
  };
  return (
    <div id="capture-status" class="capture__status" aria-live="polite">
      {status.error && (
        <p class="capture__error" role="alert" data-error={status.error}>
          {t(status.error)}
        </p>
      )}
      {status.truncated && <p class="field__hint">{t('capture.truncated')}</p>}
      <RedactionNotice />
      {status.offerAllow && (
        <button type="button" name="always-allow" class="link" onClick={allow}>
          {status.allowOrigin ? t('capture.allow.site', hostOf(status.allowOrigin)) : t('capture.allow.button')}
        </button>
      )}
    </div>
  );
}
