import { browser } from 'wxt/browser';
import { t } from '../lib/i18n/t';
import { Deferred } from './Deferred';
import { Lazy } from './Lazy';
import { QuickCreateForm } from './QuickCreateForm';
import { SyncStatus } from './SyncStatus';
import { Toast } from './Toast';
import { goHome, view } from './panel-state';

const loadCaseList = () => import('./CaseList').then((m) => m.CaseList);
const loadCaseDetail = () => import('./CaseDetail').then((m) => m.CaseDetail);
const loadCaptureInbox = () => import('./CaptureInbox').then((m) => m.CaptureInbox);

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
      <Deferred load={loadCaptureInbox} props={{}} />
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
