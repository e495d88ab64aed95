import { browser } from 'wxt/browser';
import { useEffect } from 'preact/hooks';
import { t } from '../lib/i18n/t';

import { Lazy } from './shell/Lazy';
import { QuickCreateForm } from './quick-create/QuickCreateForm';
import { Toast } from './shell/Toast';
import { helpOpen, installShortcuts } from './shell/keyboard';
import { showView, view } from './shell/panel-state';
import { SourceCaseBanner } from './shell/SourceCaseBanner';
import { HeaderSearch, loadCaseList } from './shell/HeaderSearch';
import { ViewNav } from './shell/ViewNav';
import { IconButton } from './shell/IconButton';

const loadCaseDetail = () => import('./cases/CaseDetail').then((m) => m.CaseDetail);
const loadCaptureInbox = () => import('./capture/CaptureInbox').then((m) => m.CaptureInbox);
const loadShortcutsHelp = () => import('./shell/ShortcutsHelp').then((m) => m.ShortcutsHelp);
// Renders nothing without a sync backend (the default): no reason to hold up the first paint.
const loadSyncStatus = () => import('./sync/SyncStatus').then((m) => m.SyncStatus);

/**
 * The panel: a header with the three views (New, Cases, Inbox) and their
 * counts, the search box and the sync line; under it the view. The first
 * paint carries only New; Cases, Inbox, a case and the help arrive as
 * modules of their own.
 */
export function App() {
  const current = view.value;
  // After the first paint: the tab's site and its case, the header's counts,
  // the inbox (it applies a context-menu "new case" whatever the view).
  useEffect(() => {
    installShortcuts();
    const idle = requestIdleCallback(
      () => {
        void import('./shell/site-context').then((m) => m.loadSiteContext());
        void import('./shell/view-counts').then((m) => m.watchViewCounts());
        // The Cases view's code, so the first search keystroke does not wait for it to load.
        void loadCaseList();
      },
      { timeout: 500 },
    );
    return () => cancelIdleCallback(idle);
  }, []);
  return (
    <div class="app">
      <header class="app__header">
        <div class="app__bar">
          <h1 class="visually-hidden">{t('ext_name')}</h1>
          <ViewNav />
          <span class="app__tools">
            <IconButton name="shortcuts" label={t('shortcuts.title')} keyShortcuts="?" onClick={() => (helpOpen.value = true)}>
              ?
            </IconButton>
            <IconButton name="options" label={t('app.options')} onClick={() => void browser.runtime.openOptionsPage()}>
              ⚙
            </IconButton>
          </span>
        </div>
        <HeaderSearch />
        <Lazy load={loadSyncStatus} props={{}} quiet />
      </header>
      {helpOpen.value && <Lazy load={loadShortcutsHelp} props={{}} quiet />}
      <SourceCaseBanner />
      <Toast />
      <main class="app__main">
        {current.name === 'new' && <QuickCreateForm />}
        {current.name === 'cases' && <Lazy load={loadCaseList} props={{}} />}
        {current.name === 'case' && (
          <>
            <button type="button" class="link back" name="back" onClick={() => showView('cases')}>
              ← {t('app.back')}
            </button>
            <Lazy load={loadCaseDetail} props={{ id: current.id }} />
          </>
        )}
        <div class="inbox-view" hidden={current.name !== 'inbox'}>
          <Lazy load={loadCaptureInbox} props={{}} quiet />
        </div>
      </main>
    </div>
  );
}
