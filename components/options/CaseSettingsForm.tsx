import { useEffect, useState } from 'preact/hooks';
import {
  DEFAULT_CASE_SETTINGS,
  PARENT_CHILD_POLICIES,
  loadCaseSettings,
  saveCaseSettings,
  type CaseSettings,
  type ParentChildPolicy,
} from '../../lib/cases/case-settings';
import { fieldErrorsOf } from '../../lib/errors';
import { PRIORITIES, type Priority } from '../../lib/schema';
import { t } from '../../lib/i18n/t';
import { Field, describedBy, FormError } from '../shell/Field';

type Timer = 'firstResponse' | 'resolve';
/** The form shows hours (what desks state targets in); storage keeps minutes. */
type Draft = { sla: Record<Priority, Record<Timer, string>>; parentChildPolicy: ParentChildPolicy; maxAttachmentMb: string };

const toHours = (minutes: number) => String(Math.round((minutes / 60) * 100) / 100);
const toMinutes = (hours: string) => (hours.trim() === '' ? Number.NaN : Math.round(Number(hours.replace(',', '.')) * 60));

function draftOf(settings: CaseSettings): Draft {
  const sla = Object.fromEntries(
    PRIORITIES.map((p) => [p, { firstResponse: toHours(settings.sla[p].firstResponse), resolve: toHours(settings.sla[p].resolve) }]),
  ) as Draft['sla'];
  return { sla, parentChildPolicy: settings.parentChildPolicy, maxAttachmentMb: String(settings.maxAttachmentMb) };
}

/**
 * Options → Case work: SLA targets per priority (first response and resolve,
 * in hours), the parent/child resolve policy and the per-file attachment
 * limit. Stored in their own item (lib/cases/case-settings.ts).
 *
 * Until the stored values are in, the controls and Save are disabled (the
 * form is aria-busy, as the sync form is): an edit made earlier would be
 * overwritten by the load, and a Save would store the defaults.
 */
export function CaseSettingsForm() {
  const [draft, setDraft] = useState<Draft>(draftOf(DEFAULT_CASE_SETTINGS));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    void loadCaseSettings().then((stored) => {
      setDraft(draftOf(stored));
      setLoaded(true);
    });
  }, []);

  const setTimer = (p: Priority, timer: Timer, value: string) => {
    setSaved(false);
    setDraft({ ...draft, sla: { ...draft.sla, [p]: { ...draft.sla[p], [timer]: value } } });
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!loaded) return;
    const sla = Object.fromEntries(
      PRIORITIES.map((p) => [p, { firstResponse: toMinutes(draft.sla[p].firstResponse), resolve: toMinutes(draft.sla[p].resolve) }]),
    );
    try {
      await saveCaseSettings({ sla: sla as CaseSettings['sla'], parentChildPolicy: draft.parentChildPolicy, maxAttachmentMb: Number(draft.maxAttachmentMb) });
      setErrors({});
      setSaved(true);
    } catch (error) {
      const fields = error && typeof error === 'object' && 'issues' in error ? fieldErrorsOf(error as Parameters<typeof fieldErrorsOf>[0]) : { form: 'form.error.saveFailed' };
      // A number that is not one at all reads as "enter a number", not zod's type message.
      for (const [path, key] of Object.entries(fields)) if (key === 'form.invalid') fields[path] = 'options.case.number';
      setErrors(fields);
      setSaved(false);
      const first = Object.keys(fields)[0];
      if (first) document.querySelector<HTMLElement>(`form[name="case-settings"] [name="${first}"]`)?.focus();
    }
  };

  return (
    <form
      name="case-settings"
      class="options__section"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-busy={!loaded}
      data-loaded={loaded ? 'true' : undefined}
    >
      <h2>{t('options.case.heading')}</h2>
      <fieldset>
        <legend>{t('options.case.sla')}</legend>
        <p class="field__hint">{t('options.case.sla.hint')}</p>
        {PRIORITIES.map((p) => (
          <div class="row" key={p}>
            {(['firstResponse', 'resolve'] as const).map((timer) => {
              const name = `sla.${p}.${timer}`;
              const id = `opt-sla-${p}-${timer}`;
              return (
                <Field key={timer} id={id} label={t(`options.case.sla.${timer}`, t(`priority.${p}`))} error={errors[name]}>
                  <input
                    id={id}
                    name={name}
                    type="number"
                    inputMode="decimal"
                    min="0.02"
                    step="0.25"
                    value={draft.sla[p][timer]}
                    disabled={!loaded}
                    onInput={(e) => setTimer(p, timer, e.currentTarget.value)}
                    {...describedBy(id, errors[name])}
                  />
                </Field>
              );
            })}
          </div>
        ))}
      </fieldset>
      <Field id="opt-parent-child" label={t('options.case.parentChildPolicy')} error={errors.parentChildPolicy}>
        <select
          id="opt-parent-child"
          name="parentChildPolicy"
          value={draft.parentChildPolicy}
          disabled={!loaded}
          onChange={(e) => {
            setSaved(false);
            setDraft({ ...draft, parentChildPolicy: e.currentTarget.value as ParentChildPolicy });
          }}
          {...describedBy('opt-parent-child', errors.parentChildPolicy)}
        >
          {PARENT_CHILD_POLICIES.map((policy) => (
            <option key={policy} value={policy}>
              {t(`case.parentChildPolicy.${policy}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field id="opt-max-attachment" label={t('options.case.maxAttachmentMb')} error={errors.maxAttachmentMb}>
        <input
          id="opt-max-attachment"
          name="maxAttachmentMb"
          type="number"
          min="1"
          max="500"
          step="1"
          value={draft.maxAttachmentMb}
          disabled={!loaded}
          onInput={(e) => {
            setSaved(false);
            setDraft({ ...draft, maxAttachmentMb: e.currentTarget.value });
          }}
          {...describedBy('opt-max-attachment', errors.maxAttachmentMb)}
        />
      </Field>
      <FormError error={errors.form} />
      <div class="actions">
        <button type="submit" class="primary" name="saveCaseSettings" disabled={!loaded}>
          {t('options.save')}
        </button>
        <span role="status">{saved ? t('options.saved') : ''}</span>
      </div>
    </form>
  );
}
