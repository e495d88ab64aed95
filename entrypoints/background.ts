import { defineBackground } from 'wxt/utils/define-background';
import { registerPanelOpening } from '../lib/panel/open-panel';

// Wiring only: each register* function owns its listeners and its rules.
export default defineBackground(() => {
  registerPanelOpening();
});
