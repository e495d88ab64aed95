/**
 * The case-work settings (SLA targets, parent/child policy, attachment limit)
 * as a signal for the case views, read once when case work first loads and
 * kept fresh when the options change. Never imported at first paint.
 */
import { signal } from '@preact/signals';
import { DEFAULT_CASE_SETTINGS, loadCaseSettings, watchCaseSettings, type CaseSettings } from '../../lib/cases/case-settings';

export const caseSettings = signal<CaseSettings>(DEFAULT_CASE_SETTINGS);

// Loading also primes the snapshot createCase falls back to (new cases get the agent's SLA targets).
void loadCaseSettings().then(
  (loaded) => (caseSettings.value = loaded),
  (error: unknown) => console.error('case settings not read', error),
);
watchCaseSettings((next) => (caseSettings.value = next));
