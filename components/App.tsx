import { browser } from 'wxt/browser';
import { t } from '../lib/i18n/t';

import { Lazy } from './shell/Lazy';
import { QuickCreateForm } from './quick-create/QuickCreateForm';
import { SyncStatus } from './sync/SyncStatus';
import { Toast } from './shell/Toast';
import { goHome, view } from './shell/panel-state';

const loadCaseList = () => import('./cases/CaseList').then((m) => m.CaseList);
const loadCaseDetail = () => import('./cases/CaseDetail').then((m) => m.CaseDetail);
const loadCaptureInbox = () => import('./capture/CaptureInbox').then((m) => m.CaptureInbox);

export function App() {
  const current = view.value;
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
        <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
          {t('app.options')}
        </button>
      </header>
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
