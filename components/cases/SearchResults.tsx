import { effect } from '@preact/signals';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { searchForPanel } from '../../lib/search/panel-search';
import type { CaseSearchResult } from '../../lib/schema';
import { t } from '../../lib/i18n/t';
import { CaseRow } from './CaseRow';
import { searchQuery } from './case-views-state';

interface Results {
  query: string;
  rows: CaseSearchResult[];
}

/** A side panel shows about ten rows; 25 results leave room to scroll without reading more per keystroke. */
const SHOWN = 25;

/**
 * The results of the header's search box (shell/HeaderSearch.tsx), at the top
 * of the Cases view: results as the agent types. No artificial delay: at most
 * one search runs at a time, and when it returns for text the agent has typed
 * past, its results are dropped and the latest text is searched instead (the
 * "debounce" is the search's own duration). The background answers it
 * (lib/search/panel-search.ts). Marks 'sidecase:search-start' on each
 * keystroke and measures 'sidecase:search' once that text's results are in the
 * DOM (`npm run bench`: search_keystroke).
 */
export function SearchResults() {
  const [results, setResults] = useState<Results | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  const running = useRef(false);
  const latest = useRef(searchQuery.peek());

  const search = (query: string) => {
    latest.current = query;
    if (!query.trim()) {
      setResults(undefined);
      return;
    }
    if (running.current) return;
    running.current = true;
    searchForPanel(query, SHOWN).then(
      (rows) => {
        running.current = false;
        if (query === latest.current) {
          // Keystroke → results received, before rendering: the bench's breakdown of search_keystroke.
          performance.measure('sidecase:search-read', 'sidecase:search-start');
          setFailed(false);
          setResults({ query, rows });
        } else search(latest.current);
      },
      (error: unknown) => {
        running.current = false;
        console.error('search failed', error);
        setFailed(true);
      },
    );
  };

  // Each keystroke, and on mount the text already typed (the first keystroke
  // brought the view here; coming back from a case, the box still holds it).
  // A signal effect: it runs on the keystroke itself, re-rendering nothing.
  useEffect(() => effect(() => search(searchQuery.value)), []);

  useLayoutEffect(() => {
    if (!results || results.query !== latest.current) return;
    if (performance.getEntriesByName('sidecase:search-start').length > 0) {
      performance.measure('sidecase:search', 'sidecase:search-start');
    }
  }, [results]);

  const shown = results && results.query.trim() && results.query === latest.current ? results : undefined;
  return (
    <div class="search-results-region">
      {failed && <p role="alert" class="field__error">{t('search.failed')}</p>}
      {shown && (
        <>
          <p class="muted" role="status">
            {shown.rows.length === 0 ? t('search.none') : t('search.count', shown.rows.length)}
          </p>
          <ul class="cases search-results" data-query={shown.query} aria-label={t('search.results')}>
            {/* Keyed by place, not by case: each keystroke brings other cases, and the rows already
                drawn are filled with them instead of being thrown away and built again (a row holds no
                state of its own). */}
            {shown.rows.map((row, i) => (
              <CaseRow key={i} item={row} who={row.customerLabel} inNotes={row.inNotes} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
