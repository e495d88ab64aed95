import { useEffect, useRef, useState } from 'preact/hooks';
import { mergeCase } from '../../../lib/cases/lifecycle';
import { searchCases, type SearchHit } from '../../../lib/search/search';
import type { Case } from '../../../lib/schema';
import { t } from '../../../lib/i18n/t';
import { agentName } from '../../shell/panel-state';
import { Dialog, DialogActions } from '../../shell/Dialog';
import { Field, describedBy } from '../../shell/Field';
import { OpenFollowUpsOffer } from './OpenFollowUpsOffer';
import { useBlockableAction } from './use-blockable-action';

/**
 * Merge into…: find the target by typing (number, title, customer…), pick it,
 * confirm. This case is cancelled as merged; its notes and files move there.
 */
export function MergeDialog(props: { item: Case; onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [target, setTarget] = useState<SearchHit['case'] | undefined>(undefined);
  const { error, setError, blocking, busy, run } = useBlockableAction();
  const latest = useRef('');

  useEffect(() => {
    latest.current = query;
    if (!query.trim()) {
      setHits([]);
      return;
    }
    void searchCases(query, { limit: 20, filters: { state: 'active' } }).then((found) => {
      if (latest.current === query) setHits(found.filter((h) => h.case.id !== props.item.id));
    });
  }, [query]);

  const merge = async (closeFirst: boolean) => {
    if (!target) {
      setError('case.merge.chooseTarget');
      return;
    }
    await run(async () => {
      await mergeCase(props.item.id, target.id, { actor: agentName.value, closeFollowUps: closeFirst });
      props.onClose();
    });
  };

  return (
    <Dialog name="merge" title={t('case.merge.title', props.item.number)} onClose={props.onClose}>
      <form
        name="merge"
        onSubmit={(e) => {
          e.preventDefault();
          void merge(false);
        }}
      >
        <Field id="merge-search" label={t('case.merge.search')} error={error}>
          <input
            id="merge-search"
            name="merge.search"
            type="search"
            autocomplete="off"
            value={query}
            onInput={(e) => {
              setQuery(e.currentTarget.value);
              setError(undefined);
            }}
            {...describedBy('merge-search', error)}
          />
        </Field>
        {query.trim() !== '' && hits.length === 0 && <p class="muted">{t('search.none')}</p>}
        {hits.length > 0 && (
          <fieldset class="merge-targets">
            <legend>{t('case.merge.target')}</legend>
            {hits.map((hit) => (
              <label key={hit.case.id} class="merge-target">
                <input
                  type="radio"
                  name="merge.target"
                  value={hit.case.number}
                  checked={target?.id === hit.case.id}
                  onChange={() => {
                    setTarget(hit.case);
                    setError(undefined);
                  }}
                />
                <span>
                  <span class="case-number">{hit.case.number}</span> {hit.case.title}
                </span>
              </label>
            ))}
          </fieldset>
        )}
        <p class="field__hint">{t('case.merge.explain')}</p>
        {blocking && (
          <OpenFollowUpsOffer followUps={blocking} actionKey="case.followUps.closeAndMerge" busy={busy} onCloseAndContinue={() => void merge(true)} />
        )}
        <DialogActions confirmLabel={target ? t('case.merge.into', target.number) : t('case.action.merge')} dismissLabel={t('dialog.close')} busy={busy} onClose={props.onClose} />
      </form>
    </Dialog>
  );
}
