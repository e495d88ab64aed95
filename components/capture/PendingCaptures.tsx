import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { excerpt } from '../../lib/capture/clean';
import { t } from '../../lib/i18n/t';
import { listPending, watchPending, type PendingItem } from '../../lib/inbox/pending';
import { handleMessages } from '../../lib/messages';
import type { Case } from '../../lib/schema';
import { SidecaseError } from '../../lib/errors';
import {
  addPendingNote,
  applyPendingDraft,
  attachPendingImage,
  openCasesForPicker,
  pendingImageToDraft,
  pendingNoteToDraft,
  removePending,
} from './capture-actions';
import { goHome, view } from '../shell/panel-state';

/** Form fills already being applied (the storage watcher may report an item twice). */
const applying = new Set<string>();

/**
 * What the context menu sent and the agent has not dealt with yet: a new
 * case fills the form by itself; text, links and images wait here for a case
 * (the latest open one, or one the agent picks).
 */
export function PendingCaptures() {
  const items = useSignal<PendingItem[]>([]);

  useEffect(() => {
    let live = true;
    const show = (list: PendingItem[]) => {
      if (!live) return;
      items.value = list;
      for (const item of list) {
        if (item.kind !== 'draft' || applying.has(item.id)) continue;
        applying.add(item.id);
        goHome();
        void applyPendingDraft(item).catch((error: unknown) => console.error('menu result not applied', error));
      }
    };
    void listPending().then(show);
    const stopWatching = watchPending(show);
    const stopListening = handleMessages({
      'pending.added': ({ id }) => {
        requestAnimationFrame(() => document.getElementById(`pending-${id}`)?.scrollIntoView({ block: 'nearest' }));
        return { ok: true, shown: true };
      },
    });
    return () => {
      live = false;
      stopWatching();
      stopListening();
    };
  }, []);

  const shown = items.value.filter((item) => item.kind !== 'draft').reverse();
  if (shown.length === 0) return null;
  return (
    <section class="pending" aria-labelledby="pending-heading">
      <h2 id="pending-heading">{t('pending.heading')}</h2>
      {shown.map((item) => (
        <PendingCard key={item.id} item={item} />
      ))}
    </section>
  );
}

function PendingCard(props: { item: Exclude<PendingItem, { kind: 'draft' }> }) {
  const { item } = props;
  const cases = useSignal<Case[] | undefined>(undefined);
  const chosen = useSignal('');
  const busy = useSignal(false);
  const error = useSignal<string | undefined>(undefined);

  useEffect(() => {
    if (item.kind === 'error') return;
    void openCasesForPicker().then((list) => {
      cases.value = list;
      const current = view.value;
      // The case open in the panel, else the latest open case.
      chosen.value = current.name === 'case' && list.some((c) => c.id === current.id) ? current.id : (list[0]?.id ?? '');
    });
  }, [item.id]);

  const run = (work: () => Promise<void>) => {
    busy.value = true;
    error.value = undefined;
    work()
      .catch((failure: unknown) => {
        if (!(failure instanceof SidecaseError)) console.error('menu result not saved', failure);
        error.value = failure instanceof SidecaseError ? failure.key : 'pending.error.failed';
      })
      .finally(() => (busy.value = false));
  };
  const target = () => {
    const found = cases.value?.find((c) => c.id === chosen.value);
    return found ? { id: found.id, number: found.number } : undefined;
  };
  const source = item.source.pageTitle || item.source.url;

  return (
    <article class="pending__item" id={`pending-${item.id}`} data-kind={item.kind} data-action={item.action}>
      <p class="pending__what">{t(`menus.${item.action}`)}</p>
      {source && <p class="field__hint pending__source">{source}</p>}
      {item.kind === 'note' && <p class="pending__text">{excerpt(item.text, 400)}</p>}
      {item.kind === 'image' && <img class="pending__image" src={item.image.dataUrl} alt={item.image.name} />}
      {item.kind === 'error' && (
        <p class="capture__error" role="alert">
          {t(item.error)}
        </p>
      )}
      {item.kind !== 'error' && cases.value !== undefined && cases.value.length === 0 && <p class="field__hint">{t('pending.noOpenCase')}</p>}
      {item.kind !== 'error' && cases.value !== undefined && cases.value.length > 0 && (
        <label class="pending__case">
          {t('pending.case.label')}{' '}
          <select name="pending-case" value={chosen.value} onChange={(event) => (chosen.value = event.currentTarget.value)}>
            {cases.value.map((c) => (
              <option key={c.id} value={c.id}>
                {c.number} · {c.title}
              </option>
            ))}
          </select>
        </label>
      )}
      <div class="actions">
        {item.kind === 'note' && (
          <>
            <button type="button" name="pending-add" class="primary" disabled={busy.value || !target()} onClick={() => run(() => addPendingNote(item, target()!))}>
              {t('pending.add')}
            </button>
            <button type="button" name="pending-new-case" disabled={busy.value} onClick={() => run(() => (goHome(), pendingNoteToDraft(item)))}>
              {t('pending.newCase')}
            </button>
          </>
        )}
        {item.kind === 'image' && (
          <>
            <button type="button" name="pending-attach" class="primary" disabled={busy.value || !target()} onClick={() => run(() => attachPendingImage(item, target()!))}>
              {t('pending.attach')}
            </button>
            <button type="button" name="pending-to-draft" disabled={busy.value} onClick={() => run(() => (goHome(), pendingImageToDraft(item)))}>
              {t('pending.toDraft')}
            </button>
          </>
        )}
        <button type="button" name="pending-dismiss" class="link" disabled={busy.value} onClick={() => run(() => removePending(item.id))}>
          {t('pending.dismiss')}
        </button>
      </div>
      {error.value && (
        <p class="capture__error" role="alert">
          {t(error.value)}
        </p>
      )}
    </article>
  );
}
