import { render } from 'preact';
import { App } from '../../components/App';
import { agentName } from '../../components/shell/panel-state';
import { draft } from '../../components/quick-create/form-state';
import { loadSaveCode } from '../../components/quick-create/save-code';
import { loadDraft, parseDraft } from '../../lib/drafts';
import { loadSettings, parseSettings, watchSettings } from '../../lib/settings';
import { uiLanguage } from '../../lib/i18n/t';

// The draft is restored before the first render, so the agent never sees an
// empty form flash and never types into a form about to be overwritten.
// panel-boot.js started the storage read before these modules loaded.
const boot = (globalThis as { __sidecaseBoot?: Promise<Record<string, unknown>> }).__sidecaseBoot;
const stored = boot ? await boot.catch(() => undefined) : undefined;
const [restored, settings] = stored
  ? [parseDraft(stored.draft), parseSettings(stored.settings)]
  : await Promise.all([loadDraft(), loadSettings()]);
draft.value = restored;
agentName.value = settings.agentName;
watchSettings((next) => (agentName.value = next.agentName));
document.documentElement.lang = uiLanguage();
render(<App />, document.getElementById('app')!);
// Open → form interactive: the form is in the DOM with its handlers. This is
// the mark `npm run bench` reads (panel_ready).
performance.mark('sidecase:ready');
document.body.dataset.ready = 'true';
// Warm the validator and the database code while the agent reads the form.
requestIdleCallback(() => void loadSaveCode().catch(() => {}));
