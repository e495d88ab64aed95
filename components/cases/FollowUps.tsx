import { useState } from 'preact/hooks';
import { addFollowUp, completeFollowUp } from '../../lib/cases/follow-ups';
import type { FollowUp } from '../../lib/schema';
import { formatTime, t } from '../../lib/i18n/t';
import { agentName } from '../shell/panel-state';
import { Field, describedBy, FormError } from '../shell/Field';
import { errorKeyOf } from '../format';

/** datetime-local's value → epoch ms in the agent's time zone; undefined when empty or invalid. */
function dueFromInput(value: string): number | undefined {
  if (!value) return undefined;
  const at = new Date(value).getTime();
  return Number.isFinite(at) ? at : undefined;
}

/** Follow-ups of a case: open ones (complete) and done ones; add one with a title and a due time. */
export function FollowUps(props: { caseId: string; followUps: FollowUp[]; readOnly: boolean }) {
  const [title, setTitle] = useState('');
  const [due, setDue] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const now = Date.now();

  const add = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      await addFollowUp(props.caseId, { title, dueAt: dueFromInput(due) }, { actor: agentName.value });
      setTitle('');
      setDue('');
      setErrors({});
    } catch (error) {
      const key = errorKeyOf(error);
      const path = (error as { path?: string }).path;
      setErrors({ [path === 'dueAt' ? 'due' : path === 'title' ? 'title' : 'form']: key });
    } finally {
      setBusy(false);
    }
  };
  const complete = async (id: string) => {
    try {
      await completeFollowUp(id, { actor: agentName.value });
      setErrors({});
    } catch (error) {
      setErrors({ list: errorKeyOf(error) });
    }
  };

  return (
    <section class="case-section follow-ups" aria-labelledby="follow-ups-heading">
      <h3 id="follow-ups-heading">{t('followUp.heading')}</h3>
      {props.followUps.length === 0 ? (
        <p class="muted">{t('followUp.none')}</p>
      ) : (
        <ul class="follow-ups__list">
          {props.followUps.map((f) => (
            <li key={f.id} class={`follow-up ${f.done ? 'follow-up--done' : ''}`} data-follow-up={f.title}>
              <span class="follow-up__title">{f.title}</span>
              <span class={`muted ${!f.done && f.dueAt < now ? 'follow-up--overdue' : ''}`}>
                {f.done
                  ? t('followUp.doneAt', [formatTime(f.doneAt ?? f.updatedAt), f.doneBy ?? ''])
                  : t(f.dueAt < now ? 'followUp.overdue' : 'followUp.due', formatTime(f.dueAt))}
              </span>
              {!f.done && (
                <button
                  type="button"
                  name="followUp.complete"
                  disabled={props.readOnly}
                  aria-describedby={props.readOnly ? 'case-readonly-reason' : undefined}
                  onClick={() => void complete(f.id)}
                >
                  {t('followUp.complete')}
                  <span class="visually-hidden">: {f.title}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {errors.list && (
        <p class="field__error" role="alert">
          {t(errors.list)}
        </p>
      )}
      <form name="follow-up" class="follow-ups__add" onSubmit={(e) => void add(e)}>
        <fieldset disabled={props.readOnly} aria-describedby={props.readOnly ? 'case-readonly-reason' : undefined}>
          <legend class="visually-hidden">{t('followUp.add')}</legend>
          <div class="row">
            <Field id="follow-up-title" label={t('followUp.title.label')} error={errors.title}>
              <input
                id="follow-up-title"
                name="followUp.title"
                value={title}
                maxLength={200}
                onInput={(e) => setTitle(e.currentTarget.value)}
                {...describedBy('follow-up-title', errors.title)}
              />
            </Field>
            <Field id="follow-up-due" label={t('followUp.due.label')} error={errors.due}>
              <input
                id="follow-up-due"
                name="followUp.due"
                type="datetime-local"
                value={due}
                onInput={(e) => setDue(e.currentTarget.value)}
                {...describedBy('follow-up-due', errors.due)}
              />
            </Field>
          </div>
          <FormError error={errors.form} />
          <button type="submit" name="followUp.add" disabled={busy}>
            {t('followUp.add')}
          </button>
        </fieldset>
      </form>
    </section>
  );
}
