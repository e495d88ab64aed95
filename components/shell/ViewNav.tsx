import { t } from '../../lib/i18n/t';
import { CASE_COUNT_CAP, caseCount, inboxCount, showView, view, type ListView } from './panel-state';

const VIEWS: readonly ListView[] = ['new', 'cases', 'inbox'];

/**
 * The header's three views with their counts: New (the form), Cases (my
 * active cases), Inbox (pending captures and quick notes). A case open is
 * part of Cases. The counts arrive after first paint (shell/view-counts.ts).
 */
export function ViewNav() {
  const current = view.value.name === 'case' ? 'cases' : view.value.name;
  const counts: Partial<Record<ListView, number | undefined>> = { cases: caseCount.value, inbox: inboxCount.value };
  return (
    <nav class="views" aria-label={t('view.nav')}>
      {VIEWS.map((name) => {
        const count = counts[name];
        return (
          <button
            key={name}
            type="button"
            name={`view-${name}`}
            class="views__button"
            aria-current={current === name ? 'page' : undefined}
            data-count={count}
            onClick={() => showView(name)}
          >
            {t(`view.${name}`)}
            {count !== undefined && <span class="views__count"> {count >= CASE_COUNT_CAP ? `${CASE_COUNT_CAP - 1}+` : count}</span>}
          </button>
        );
      })}
    </nav>
  );
}
