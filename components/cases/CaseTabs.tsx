import type { ComponentChildren } from 'preact';
import { t } from '../../lib/i18n/t';
import { CASE_TABS, caseTab, type CaseTab } from '../shell/panel-state';

/**
 * A case's sections as tabs (WAI-ARIA tabs pattern, automatic activation):
 * one Tab stop on the selected tab, ←/→ (and Home/End) move between tabs.
 * Every panel stays mounted, hidden when not selected: a note half typed or
 * an upload under way survives a look at the timeline.
 */
export function CaseTabs(props: { panels: Record<CaseTab, ComponentChildren> }) {
  const selected = caseTab.value;
  const select = (tab: CaseTab) => {
    caseTab.value = tab;
    document.getElementById(`case-tab-${tab}`)?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const at = CASE_TABS.indexOf(selected);
    const next =
      event.key === 'ArrowRight'
        ? CASE_TABS[(at + 1) % CASE_TABS.length]
        : event.key === 'ArrowLeft'
          ? CASE_TABS[(at - 1 + CASE_TABS.length) % CASE_TABS.length]
          : event.key === 'Home'
            ? CASE_TABS[0]
            : event.key === 'End'
              ? CASE_TABS[CASE_TABS.length - 1]
              : undefined;
    if (!next) return;
    event.preventDefault();
    select(next);
  };
  return (
    <>
      <div class="case-tabs" role="tablist" aria-label={t('case.tabs.label')} onKeyDown={onKeyDown}>
        {CASE_TABS.map((tab) => (
          <button
            key={tab}
            type="button"
            role="tab"
            id={`case-tab-${tab}`}
            name={`tab-${tab}`}
            class="case-tabs__tab"
            aria-selected={tab === selected}
            aria-controls={`case-panel-${tab}`}
            tabIndex={tab === selected ? 0 : -1}
            onClick={() => select(tab)}
          >
            {t(`case.tab.${tab}`)}
          </button>
        ))}
      </div>
      {CASE_TABS.map((tab) => (
        <div key={tab} role="tabpanel" id={`case-panel-${tab}`} class="case-tabs__panel" aria-labelledby={`case-tab-${tab}`} hidden={tab !== selected} data-tab={tab}>
          {props.panels[tab]}
        </div>
      ))}
    </>
  );
}
