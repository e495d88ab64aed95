import { browser } from 'wxt/browser';
import { useEffect } from 'preact/hooks';
import { t } from '../lib/i18n/t';

import { Lazy } from './shell/Lazy';
import { QuickCreateForm } from './quick-create/QuickCreateForm';
import { SyncStatus } from './sync/SyncStatus';
import { Toast } from './shell/Toast';
import { goHome, view } from './shell/panel-state';
import { SourceCaseBanner } from './shell/SourceCaseBanner';
import { loadSiteContext } from './shell/site-context';
import { ShortcutsHelp } from './shell/ShortcutsHelp';
import { helpOpen, installShortcuts } from './shell/keyboard';

const loadCaseList = () => import('./cases/CaseList').then((m) => m.CaseList);
const loadCaseDetail = () => import('./cases/CaseDetail').then((m) => m.CaseDetail);
const loadCaptureInbox = () => import('./capture/CaptureInbox').then((m) => m.CaptureInbox);

export function App() {
  const current = view.value;
  // After the first paint: the tab's site and its case are not needed to type.
  useEffect(() => {
    installShortcuts();
    const idle = requestIdleCallback(() => void loadSiteContext(), { timeout: 500 });
    return () => cancelIdleCallback(idle);
  }, []);
  return (
    <div class="app">
      <header class="app__header">
        {current.name === 'case' ? (
          <button type="button" class="link" onClick={goHome}>
            ← {t('app.back')}
          </button>
        ) : (
          <h1 class="app__title">{t('ext_name')}</h1>
        )}
        <SyncStatus />
        <button
          type="button"
          class="link"
          name="shortcuts"
          aria-label={t('shortcuts.title')}
          title={t('shortcuts.title')}
          aria-keyshortcuts="?"
          onClick={() => (helpOpen.value = true)}
        >
          ?
        </button>
        <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
          {t('app.options')}
        </button>
      </header>
      <ShortcutsHelp />
      <SourceCaseBanner />
      <Toast />
      <Lazy load={loadCaptureInbox} props={{}} quiet />
      {current.name === 'home' ? (
        <main class="app__main">
          <QuickCreateForm />
          <Lazy load={loadCaseList} props={{}} />
        </main>
      ) : (
        <main class="app__main">
          <Lazy load={loadCaseDetail} props={{ id: current.id }} />
        </main>
      )}
    </div>
  );
}
