import { t } from '../../lib/i18n/t';
import { searchQuery } from '../cases/case-views-state';
import { showView, view } from './panel-state';

/** The Cases view's module: fetched when the agent is about to search, so the first results do not wait for it. */
export const loadCaseList = () => import('../cases/CaseList').then((m) => m.CaseList);

/**
 * The one search box, in the header of every view. Typing shows Cases with
 * the results (components/cases/SearchResults.tsx runs the search). The
 * input is bound to the signal itself, so a keystroke re-renders nothing
 * here; it marks 'sidecase:search-start' for `npm run bench` (search_keystroke).
 */
export function HeaderSearch() {
  return (
    <div class="search" role="search">
      <label for="case-search" class="visually-hidden">
        {t('search.label')}
      </label>
      <input
        id="case-search"
        name="search"
        type="search"
        autocomplete="off"
        placeholder={t('search.placeholder')}
        value={searchQuery}
        aria-describedby="case-search-hint"
        aria-keyshortcuts="/"
        onFocus={() => {
          // Starts the background's worker before the first character, and the results' code.
          void import('../../lib/search/panel-search').then((m) => m.wakeSearch());
          void loadCaseList();
        }}
        onInput={(event) => {
          performance.mark('sidecase:search-start');
          searchQuery.value = event.currentTarget.value;
          if (view.peek().name !== 'cases') showView('cases');
        }}
      />
      <p class="field__hint visually-hidden" id="case-search-hint">
        {t('search.hint')}
      </p>
    </div>
  );
}
