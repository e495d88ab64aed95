import { defineBackground } from 'wxt/utils/define-background';
import { registerSlaBadge } from '../lib/cases/sla-badge';
import { registerContextMenus } from '../lib/menus';
import { registerPanelOpening } from '../lib/panel/open-panel';
import { registerSearchMessages } from '../lib/search/message-handlers';
import { startCaseReindex } from '../lib/search/reindex';
import { registerSyncMessages } from '../lib/sync/message-handlers';
import { registerSync } from '../lib/sync/register';

// Wiring only: each register* function owns its listeners and its rules.
export default defineBackground(() => {
  registerPanelOpening();
  registerContextMenus();
  registerSyncMessages();
  registerSearchMessages();
  registerSync();
  registerSlaBadge();
  startCaseReindex();
});
