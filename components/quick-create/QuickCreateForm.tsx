import { useSignal } from '@preact/signals';
import { LIMITS, ORIGINS, PRIORITIES } from '../../lib/constants';
import { SidecaseError, ValidationError, fieldErrorsOf } from '../../lib/errors';
import { t } from '../../lib/i18n/t';
import { DRAFT_CAPS } from '../../lib/drafts';
import { agentName, showToast } from '../shell/panel-state';
import { draft, draftToInput, errors, resetDraft, saving, setFieldError, updateDraft } from './form-state';
import { CustomerFields } from './CustomerFields';
import { Field, describedBy, FormError } from '../shell/Field';
import { TagInput, addPendingTag } from './TagInput';
import { DraftNotes } from './DraftNotes';
import { CaptureButton } from '../capture/CaptureButton';
import { DuplicateOfferSlot } from '../capture/capture-slots';
import { PasteContext } from '../capture/PasteContext';
import { Provenance } from './Provenance';
import { loadSaveCode, saveCodeNow } from './save-code';
import { finishCapture, saveTarget, saveToTarget } from '../capture/capture-state';

/** The order errors are focused in: the first invalid control gets the focus. */
const FIELD_ORDER = ['title', 'customer.name', 'customer.email', 'customer.phone', 'customer.company', 'priority', 'origin', 'description', 'subject', 'product', 'tags'];
/** The fields under "More": an error or a value in one of them opens it. */
const MORE_FIELDS = ['subject', 'product', 'tags'];

function focusFirstError(fields: Record<string, string>): void {
  const first = FIELD_ORDER.find((name) => fields[name]);
  const control = first ? document.querySelector<HTMLElement>(`form[name="quick-create"] [name="${first}"]`) : null;
  if (!control) return;
  // Under a closed "More" the control cannot take the focus until it opens (it re-renders open a moment later).
  const more = control.closest('details');
  if (more) more.open = true;
  control.focus();
}

export async function saveQuickCreate(): Promise<void> {
  if (saving.value) return;
  // "Add to this case" was chosen in the duplicate offer: the draft becomes a note there.
  if (saveTarget.value) return saveToTarget(saveTarget.value);
  performance.mark('sidecase:save-start');
  if (!(await addPendingTag())) return focusFirstError({ tags: 'x' });
  const input = draftToInput(draft.value);
  // The validator loads right after first paint (see main.tsx); by the time
  // anyone presses Save it is there.
  const { CaseInput, createCase } = saveCodeNow() ?? (await loadSaveCode());
  const parsed = CaseInput.safeParse(input);
  if (!parsed.success) {
    errors.value = fieldErrorsOf(parsed.error);
    return focusFirstError(errors.value);
  }
  // What the last capture or paste masked: kept originals go to the writer, and a kind set to "ask" waits for an answer.
  const redaction = await import('../redaction/redaction-state');
  if (redaction.hasUnansweredAsk.value) {
    errors.value = { form: 'redaction.ask.pending' };
    return;
  }
  saving.value = true;
  try {
    // Notes written in the form go with the case, in its transaction.
    const extras = {
      keepUnmasked: redaction.keptOriginals.value,
      ...(draft.value.notes.length ? { notes: draft.value.notes.map((await import('../../lib/notes/prepare')).prepareNote) } : {}),
    };
    // A child case also writes "child added" on its parent's timeline.
    const created = input.parentId
      ? await (await import('../../lib/cases/lifecycle')).createChildCase(input.parentId, input, { actor: agentName.value }, extras)
      : await createCase(input, { actor: agentName.value }, extras);
    await finishCapture(created.case.id);
    performance.mark('sidecase:save-end');
    performance.measure('sidecase:case-save', 'sidecase:save-start', 'sidecase:save-end');
    await resetDraft();
    redaction.clearMasked();
    // Loaded after first paint (App.tsx): here long before any Save.
    void import('../shell/site-context').then((m) => m.afterCaseSaved(input, input.source?.url));
    showToast({ tone: 'success', message: t('toast.caseCreated', created.case.number), caseId: created.case.id });
    document.querySelector<HTMLElement>('form[name="quick-create"] [name="title"]')?.focus();
  } catch (error) {
    // The draft stays as typed: nothing the agent wrote is lost on a failed save.
    if (error instanceof ValidationError) errors.value = error.fields;
    else if (error instanceof SidecaseError) errors.value = { [error.path ?? 'form']: error.key };
    else {
      console.error('case not saved', error);
      errors.value = { form: 'form.error.saveFailed' };
    }
    focusFirstError(errors.value);
  } finally {
    saving.value = false;
  }
}

export function QuickCreateForm() {
  const d = draft.value;
  const e = errors.value;
  // Opened by the agent, or because something fills or faults a field inside it
  // (a capture, a remembered site default, a restored draft, a failed save).
  const moreOpened = useSignal(false);
  const moreFilled = Boolean(d.subject || d.product || d.tags.length > 0);
  const moreFaulted = MORE_FIELDS.some((name) => e[name]);
  const fieldErrors = Object.keys(e).filter((name) => name !== 'form' && e[name]).length;
  const input = (name: 'title' | 'subject' | 'product') => ({
    id: `qc-${name}`,
    name,
    value: d[name],
    // The draft's cap: the usual "too long" message shows well before it.
    maxLength: DRAFT_CAPS.text,
    onInput: (event: { currentTarget: HTMLInputElement }) => {
      updateDraft({ [name]: event.currentTarget.value });
      if (e[name]) setFieldError(name, undefined);
    },
    ...describedBy(`qc-${name}`, e[name]),
  });
  const descriptionLength = d.description.length;
  return (
    <form
      name="quick-create"
      class="quick-create"
      aria-labelledby="qc-heading"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void saveQuickCreate();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          void saveQuickCreate();
        }
      }}
    >
      <h2 id="qc-heading">{t('form.heading')}</h2>
      {d.parentId && (
        <p class="form__parent" role="status">
          {t('form.parent.childOf', d.parentNumber ?? '')}{' '}
          <button type="button" name="unlink-parent" class="link" onClick={() => updateDraft({ parentId: undefined, parentNumber: undefined })}>
            {t('form.parent.unlink')}
          </button>
        </p>
      )}
      <div class="capture-bar">
        <CaptureButton />
        <PasteContext />
      </div>
      <Field id="qc-title" label={t('form.title.label')} error={e.title} hint={<Provenance path="title" />}>
        <input type="text" required autocomplete="off" {...input('title')} />
      </Field>
      <CustomerFields />
      <DuplicateOfferSlot />
      <div class="row">
        <Field id="qc-priority" label={t('form.priority.label')} error={e.priority}>
          <select
            id="qc-priority"
            name="priority"
            class={`priority-select priority--${d.priority}`}
            value={d.priority}
            onChange={(ev) => updateDraft({ priority: ev.currentTarget.value as typeof d.priority })}
          >
            {PRIORITIES.map((priority) => (
              <option key={priority} value={priority}>
                {t(`priority.${priority}`)}
              </option>
            ))}
          </select>
          <Provenance path="priority" />
        </Field>
        <Field id="qc-origin" label={t('form.origin.label')} error={e.origin}>
          <select id="qc-origin" name="origin" value={d.origin} onChange={(ev) => updateDraft({ origin: ev.currentTarget.value as typeof d.origin })}>
            {ORIGINS.map((origin) => (
              <option key={origin} value={origin}>
                {t(`origin.${origin}`)}
              </option>
            ))}
          </select>
          <Provenance path="origin" />
        </Field>
      </div>
      <Field
        id="qc-description"
        label={t('form.description.label')}
        error={e.description}
        hint={
          <p class={`field__hint counter ${descriptionLength > LIMITS.descriptionMax ? 'counter--over' : ''}`} id="qc-description-counter">
            {t('form.description.counter', [descriptionLength, LIMITS.descriptionMax])}
          </p>
        }
      >
        <textarea
          id="qc-description"
          name="description"
          maxLength={DRAFT_CAPS.description}
          rows={5}
          value={d.description}
          onInput={(ev) => {
            updateDraft({ description: ev.currentTarget.value });
            const over = ev.currentTarget.value.length > LIMITS.descriptionMax;
            setFieldError('description', over ? 'form.description.tooLong' : undefined);
          }}
          {...describedBy('qc-description', e.description, 'qc-description-counter')}
        />
        <Provenance path="description" />
      </Field>
      <details class="more" open={moreOpened.value || moreFilled || moreFaulted} onToggle={(event) => (moreOpened.value = event.currentTarget.open)}>
        <summary>{t('form.more')}</summary>
        <Field id="qc-subject" label={t('form.subject.label')} error={e.subject}>
          <input type="text" autocomplete="off" {...input('subject')} />
        </Field>
        <Field id="qc-product" label={t('form.product.label')} error={e.product}>
          <input type="text" autocomplete="off" {...input('product')} />
          <Provenance path="product" />
        </Field>
        <TagInput />
      </details>
      <DraftNotes />
      <div class="save-bar">
        <FormError error={e.form} />
        {fieldErrors > 0 && (
          <p class="save-bar__summary" role="status">
            {t('form.errorsSummary', fieldErrors)}
          </p>
        )}
        <div class="actions">
          <button type="submit" name="save" class="primary" disabled={saving.value} aria-keyshortcuts="Control+Enter Meta+Enter">
            {t('form.save')}
          </button>
          <button type="button" name="clear" onClick={() => void resetDraft()}>
            {t('form.clear')}
          </button>
          <span class="actions__hint">{t('form.saveShortcut')}</span>
        </div>
      </div>
    </form>
  );
}
