import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { findDuplicateCases, isWorthLookingUp } from '../../lib/cases/dedupe';
import { t } from '../../lib/i18n/t';
import type { Case } from '../../lib/schema';
import { saveTarget } from '../capture/capture-state';
import { draft } from './form-state';

/** Wait for the agent to stop typing before looking the customer up. */
const LOOKUP_DELAY_MS = 250;

/**
 * No duplicate cases (the rule: lib/cases/dedupe.ts): the open cases of the
 * form's customer are shown with "Add to this case" beside "Create new case";
 * Save then does what was chosen.
 */
export function DuplicateOffer() {
  const cases = useSignal<Case[]>([]);
  const customer = draft.value.customer;
  const key = `${customer.id ?? ''}|${customer.email.trim().toLowerCase()}|${customer.phone.trim()}`;

  useEffect(() => {
    // Nothing to look up: no database code is loaded for an empty form.
    if (!isWorthLookingUp(customer)) {
      cases.value = [];
      saveTarget.value = undefined;
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      findDuplicateCases(customer)
        .then((found) => {
          if (!live) return;
          cases.value = found;
          if (saveTarget.value && !found.some((c) => c.id === saveTarget.value!.id)) saveTarget.value = undefined;
        })
        .catch((error: unknown) => console.error('open cases not found', error));
    }, LOOKUP_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);

  if (cases.value.length === 0) return null;
  const chosen = saveTarget.value;
  return (
    <section class="duplicate-offer" aria-labelledby="duplicate-heading">
      <h3 id="duplicate-heading">{t('duplicate.heading', cases.value.length)}</h3>
      <ul class="duplicate-offer__cases">
        {cases.value.map((c) => (
          <li key={c.id} data-case-number={c.number}>
            <span class="duplicate-offer__number">{c.number}</span> <span class="duplicate-offer__title">{c.title}</span>
            <button
              type="button"
              name="add-to-case"
              data-case-id={c.id}
              aria-pressed={chosen?.id === c.id}
              onClick={() => (saveTarget.value = { id: c.id, number: c.number })}
            >
              {t('duplicate.addToCase')}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" name="create-new-case" aria-pressed={!chosen} onClick={() => (saveTarget.value = undefined)}>
        {t('duplicate.createNew')}
      </button>
      <p class="field__hint" role="status">
        {chosen ? t('duplicate.willAdd', chosen.number) : t('duplicate.willCreate')}
      </p>
    </section>
  );
}
