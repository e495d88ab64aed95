import { NotesInbox } from '../notes/NotesInbox';
import { PendingCaptures } from './PendingCaptures';

/** The panel's inbox of captures: context-menu results waiting for a case, and quick notes. Loaded after first paint. */
export function CaptureInbox() {
  return (
    <div class="capture-inbox">
      <PendingCaptures />
      <NotesInbox />
    </div>
  );
}
