import { t } from '../../lib/i18n/t';
import { NotesInbox } from '../notes/NotesInbox';
import { inboxCount } from '../shell/panel-state';
import { PendingCaptures } from './PendingCaptures';

/**
 * The Inbox view: context-menu results waiting for a case, and quick notes.
 * Loaded after first paint and mounted from then on, also while another view
 * shows: a "new case" result fills the form by itself, whatever the view.
 */
export function CaptureInbox() {
  return (
    <div class="capture-inbox">
      <PendingCaptures />
      <NotesInbox />
      {inboxCount.value === 0 && <p class="empty">{t('inbox.empty')}</p>}
    </div>
  );
}
