import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { liveQuery, type Subscription } from 'dexie';
import { countCases, listCases, type CaseFilters, type CaseSort, type CaseView, type ListCasesOptions } from '../../lib/cases/queries';
import { db } from '../../lib/db/db';
import { ACTIVE_REASONS, CANCEL_REASONS, ORIGINS, PRIORITIES, RESOLUTION_TYPES, type Case } from '../../lib/schema';
import { t } from '../../lib/i18n/t';
import { agentName } from '../shell/panel-state';
import { CaseRow } from './CaseRow';
import { caseLabels } from '../../lib/customers/case-labels';
import { SearchResults } from './SearchResults';
import { FilterSelect } from '../shell/FilterSelect';
import { VirtualList } from '../shell/VirtualList';
import { isSearching, viewChoice, viewFilters, viewSort } from './case-views-state';
import { statusReasonLabel } from '../format';
// The list is the first of the case-work code to load: from here on, new
// cases get the agent's SLA targets (createCase reads the settings' snapshot).
import './case-settings-live';
import './case-work.css';

const PAGE = 50;
const ROW_HEIGHT = 62;
/** Pages kept subscribed around the rows in view; the rest are dropped, so memory stays flat while scrolling. */
const PAGE_MARGIN = 1;

interface Page {
  cases: Case[];
  /** Each case's customer label, by case id (lib/customers/label.ts). */
  labels: Map<string, string>;
}

const VIEW_KEYS: Record<CaseView, string> = {
  mine: 'list.myActive',
  allActive: 'list.allActive',
  resolved: 'list.resolved',
  cancelled: 'list.cancelled',
  customer: 'list.customer',
};

/**
 * The Cases view: the header search's results while it holds text, else a view (My active by default,
 * All active, Resolved, Cancelled, or one customer's cases) with its sort and
 * filters, as a virtualized list that loads its rows page by page.
 */
export function CaseList() {
  const searching = isSearching.value;
  // Reached by typing in the header's search box: the view's list is read
  // only once it is to be shown, or its count and pages (50,000 cases) would
  // compete with the first keystrokes' results.
  const listed = useRef(false);
  if (!searching) listed.current = true;
  return (
    <section class="case-list" aria-labelledby={searching ? undefined : 'my-cases-heading'} aria-label={searching ? t('search.results') : undefined}>
      <SearchResults />
      {/* Hidden, not unmounted, while searching: clearing the box shows the
          view at once, and typing never waits behind the view's re-reading. */}
      {listed.current && (
        <div hidden={searching}>
          <CaseViewList />
        </div>
      )}
    </section>
  );
}

function optionsOf(): Omit<ListCasesOptions, 'offset' | 'limit'> {
  const choice = viewChoice.value;
  return {
    view: choice.view,
    owner: agentName.value,
    customerId: choice.customerId,
    sort: viewSort.value,
    filters: viewFilters.value,
  };
}

function CaseViewList() {
  const options = optionsOf();
  const key = JSON.stringify(options);
  const [total, setTotal] = useState<number | undefined>(undefined);
  const [failed, setFailed] = useState<string | undefined>(undefined);
  const [pages, setPages] = useState<Map<number, Page>>(new Map());
  const subscriptions = useRef(new Map<number, Subscription>());

  // The view's length, live: it re-counts when a case in the view changes.
  useEffect(() => {
    setTotal(undefined);
    setPages(new Map());
    setFailed(undefined);
    const subscription = liveQuery(() => countCases(options)).subscribe({
      next: setTotal,
      error: (error: { key?: string }) => setFailed(error.key ?? 'list.failed'),
    });
    const pageSubscriptions = subscriptions.current;
    return () => {
      subscription.unsubscribe();
      for (const s of pageSubscriptions.values()) s.unsubscribe();
      pageSubscriptions.clear();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  // Rows in view → the pages they need, each a live query of its own.
  const onRange = useCallback(
    (start: number, end: number) => {
      const firstPage = Math.max(0, Math.floor(start / PAGE) - PAGE_MARGIN);
      const lastPage = Math.floor(end / PAGE) + PAGE_MARGIN;
      const subs = subscriptions.current;
      for (const [index, s] of subs) {
        if (index < firstPage || index > lastPage) {
          s.unsubscribe();
          subs.delete(index);
          setPages((prev) => {
            const next = new Map(prev);
            next.delete(index);
            return next;
          });
        }
      }
      for (let index = firstPage; index <= lastPage; index++) {
        if (subs.has(index)) continue;
        // A page and its labels in one read transaction: a save waits for each
        // read transaction still open on its tables when it starts.
        const query = (): Promise<Page> =>
          db.transaction('r', [db.cases, db.customers], async () => {
            const cases = await listCases({ ...options, offset: index * PAGE, limit: PAGE });
            return { cases, labels: await caseLabels(db, cases) };
          });
        subs.set(
          index,
          liveQuery(query).subscribe({
            next: (page) => setPages((prev) => new Map(prev).set(index, page)),
            error: (error: unknown) => console.error('case page failed', error),
          }),
        );
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );

  const choice = viewChoice.value;
  const heading =
    choice.view === 'customer' ? t('list.customer', choice.customerLabel ?? '') : t(VIEW_KEYS[choice.view]);
  return (
    <>
      <h2 id="my-cases-heading">
        {heading} {total !== undefined && <span class="count">({total})</span>}
      </h2>
      <ViewControls />
      {failed ? (
        <p role="alert" class="field__error">
          {t(failed)}
        </p>
      ) : total === undefined ? (
        <p class="loading" aria-busy="true">
          {t('app.loading')}
        </p>
      ) : total === 0 ? (
        <p class="empty">{choice.view === 'mine' ? t('list.empty') : t('list.emptyView')}</p>
      ) : (
        <VirtualList
          count={total}
          rowHeight={ROW_HEIGHT}
          height={`min(${total * ROW_HEIGHT + 2}px, 70vh)`}
          resetKey={key}
          onRange={onRange}
          listProps={{ 'aria-labelledby': 'my-cases-heading' }}
          renderRow={(index, style) => {
            const page = pages.get(Math.floor(index / PAGE));
            const item = page?.cases[index % PAGE];
            if (!item) {
              return (
                <li key={`pending-${index}`} class="case-row case-row--pending" data-index={index} style={style} aria-busy="true">
                  <span class="muted">{page ? '' : t('app.loading')}</span>
                </li>
              );
            }
            return <CaseRow key={item.id} item={item} who={page.labels.get(item.id) ?? ''} style={style} index={index} />;
          }}
        />
      )}
    </>
  );
}

function ViewControls() {
  const choice = viewChoice.value;
  const filters = viewFilters.value;
  const setFilter = (patch: Partial<CaseFilters>) => {
    const next: CaseFilters = { ...filters, ...patch };
    for (const k of Object.keys(next) as Array<keyof CaseFilters>) if (!next[k]) delete next[k];
    viewFilters.value = next;
  };
  /** A select filter's value and its change, for FilterSelect: "Any" ('') clears it. */
  const filterOn = <K extends 'priority' | 'statusReason' | 'origin'>(key: K) => ({
    value: filters[key],
    onChange: (value: NonNullable<CaseFilters[K]> | '') => setFilter({ [key]: value || undefined }),
  });
  const reasons =
    choice.view === 'resolved'
      ? RESOLUTION_TYPES
      : choice.view === 'cancelled'
        ? CANCEL_REASONS
        : choice.view === 'customer'
          ? [...ACTIVE_REASONS, ...RESOLUTION_TYPES, ...CANCEL_REASONS]
          : ACTIVE_REASONS;
  const activeFilters = Object.keys(filters).length;
  return (
    <div class="view-controls">
      <div class="field view-controls__view">
        <label for="view-choice" class="visually-hidden">{t('list.view.label')}</label>
        <select
          id="view-choice"
          name="view"
          value={choice.view}
          onChange={(event) => {
            const view = event.currentTarget.value as CaseView;
            viewChoice.value = view === 'customer' ? choice : { view };
            // A status reason of one view means nothing in another.
            setFilter({ statusReason: undefined });
          }}
        >
          {(['mine', 'allActive', 'resolved', 'cancelled'] as const).map((v) => (
            <option key={v} value={v}>
              {t(VIEW_KEYS[v])}
            </option>
          ))}
          {choice.view === 'customer' && <option value="customer">{t('list.customer', choice.customerLabel ?? '')}</option>}
        </select>
      </div>
      <div class="field view-controls__sort">
        <label for="view-sort" class="visually-hidden">{t('list.sort.label')}</label>
        <select id="view-sort" name="sort" value={viewSort.value} onChange={(event) => (viewSort.value = event.currentTarget.value as CaseSort)}>
          <option value="updated">{t('list.sort.updated')}</option>
          <option value="priority">{t('list.sort.priority')}</option>
          <option value="sla">{t('list.sort.sla')}</option>
        </select>
      </div>
      <details class="view-filters" open={activeFilters > 0}>
        <summary>{activeFilters > 0 ? t('list.filters.active', activeFilters) : t('list.filters.label')}</summary>
        <div class="row">
          <FilterSelect
            id="filter-priority"
            name="filter.priority"
            label={t('form.priority.label')}
            options={PRIORITIES}
            optionLabel={(p) => t(`priority.${p}`)}
            {...filterOn('priority')}
          />
          <FilterSelect
            id="filter-status"
            name="filter.status"
            label={t('list.filters.status')}
            options={reasons}
            optionLabel={(r) => statusReasonLabel(r)}
            {...filterOn('statusReason')}
          />
        </div>
        <div class="row">
          <FilterSelect
            id="filter-origin"
            name="filter.origin"
            label={t('form.origin.label')}
            options={ORIGINS}
            optionLabel={(o) => t(`origin.${o}`)}
            {...filterOn('origin')}
          />
          <div class="field">
            <label for="filter-tag">{t('list.filters.tag')}</label>
            <input
              id="filter-tag"
              name="filter.tag"
              type="text"
              value={filters.tag ?? ''}
              // On change, not on every key: a tag filter walks the view.
              onChange={(event) => setFilter({ tag: event.currentTarget.value.trim() || undefined })}
            />
          </div>
        </div>
        {activeFilters > 0 && (
          <button type="button" class="link" onClick={() => (viewFilters.value = {})}>
            {t('list.filters.clear')}
          </button>
        )}
      </details>
    </div>
  );
}
