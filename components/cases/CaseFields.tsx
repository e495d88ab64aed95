import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { updateCase, type CasePatch } from '../../lib/cases/lifecycle';
import { isReadOnly } from '../../lib/cases/read-only';
import { ValidationError } from '../../lib/errors';
import { ACTIVE_REASONS, ORIGINS, PRIORITIES, type Case } from '../../lib/schema';
import { formatTime, t } from '../../lib/i18n/t';
import { agentName } from '../shell/panel-state';
import { PriorityBadge } from './PriorityBadge';
import { caseSettings } from './case-settings-live';
import { errorKeyOf, statusReasonLabel } from '../format';

type FieldName = 'title' | 'priority' | 'origin' | 'statusReason' | 'subject' | 'product' | 'tags' | 'description';

const LABELS: Record<FieldName, string> = {
  title: 'form.title.label',
  priority: 'form.priority.label',
  origin: 'form.origin.label',
  statusReason: 'detail.statusReason',
  subject: 'form.subject.label',
  product: 'form.product.label',
  tags: 'form.tags.label',
  description: 'form.description.label',
};

const CHOICES: Partial<Record<FieldName, readonly string[]>> = {
  priority: PRIORITIES,
  origin: ORIGINS,
  statusReason: ACTIVE_REASONS,
};

function choiceLabel(field: FieldName, value: string): string {
  if (field === 'priority') return t(`priority.${value}`);
  if (field === 'origin') return t(`origin.${value}`);
  return statusReasonLabel(value);
}

function valueOf(item: Case, field: FieldName): string {
  if (field === 'tags') return item.tags.join(', ');
  return String(item[field] ?? '');
}

function patchOf(field: FieldName, value: string): CasePatch {
  if (field === 'tags') return { tags: value.split(',').map((tag) => tag.trim()).filter(Boolean) };
  return { [field]: value } as CasePatch;
}

/**
 * One field of the case, shown as text with an Edit button; editing saves
 * through updateCase and shows a refusal (read-only, stale, invalid) right
 * under the field. On a resolved or cancelled case the Edit buttons are
 * disabled and point at the read-only notice that says why.
 */
function EditableField(props: { item: Case; field: FieldName; readOnly: boolean; children: ComponentChildren; multiline?: boolean }) {
  const { item, field, readOnly } = props;
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const id = `case-field-${field}`;
  const label = t(LABELS[field]);

  const start = () => {
    setValue(valueOf(item, field));
    setError(undefined);
    setEditing(true);
  };
  const save = async (event?: Event) => {
    event?.preventDefault();
    setBusy(true);
    try {
      await updateCase(item.id, patchOf(field, value), {
        actor: agentName.value,
        expectedVersion: item.version,
        slaTargets: caseSettings.value.sla,
      });
      setEditing(false);
      setError(undefined);
    } catch (e) {
      setError(e instanceof ValidationError ? (Object.values(e.fields)[0] ?? e.key) : errorKeyOf(e));
    } finally {
      setBusy(false);
    }
  };
  const cancel = () => {
    setEditing(false);
    setError(undefined);
  };
  const errorId = `${id}-error`;
  const describe = [error ? errorId : '', readOnly ? 'case-readonly-reason' : ''].filter(Boolean).join(' ') || undefined;

  if (!editing) {
    return (
      <div class="case-field" data-field={field}>
        <dt>{label}</dt>
        <dd>
          <div class="case-field__value">{props.children}</div>
          <button
            type="button"
            class="link case-field__edit"
            name={`edit.${field}`}
            disabled={readOnly}
            aria-describedby={describe}
            onClick={start}
          >
            {t('detail.edit')}
            <span class="visually-hidden"> {label}</span>
          </button>
          {error && (
            <p class="field__error" id={errorId} role="alert">
              {t(error)}
            </p>
          )}
        </dd>
      </div>
    );
  }
  const choices = CHOICES[field];
  const common = {
    id,
    name: field,
    value,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describe,
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        cancel();
      }
    },
  };
  return (
    <div class="case-field case-field--editing" data-field={field}>
      <dt>
        <label for={id}>{label}</label>
      </dt>
      <dd>
        <form name={`edit-${field}`} class="case-field__form" onSubmit={(e) => void save(e)}>
          {choices ? (
            <select {...common} autoFocus onChange={(e) => setValue(e.currentTarget.value)}>
              {choices.map((c) => (
                <option key={c} value={c}>
                  {choiceLabel(field, c)}
                </option>
              ))}
            </select>
          ) : props.multiline ? (
            <textarea {...common} autoFocus rows={5} onInput={(e) => setValue(e.currentTarget.value)} />
          ) : (
            <input {...common} autoFocus type="text" onInput={(e) => setValue(e.currentTarget.value)} />
          )}
          {field === 'tags' && <p class="field__hint">{t('detail.tags.hint')}</p>}
          {error && (
            <p class="field__error" id={errorId} role="alert">
              {t(error)}
            </p>
          )}
          <div class="actions">
            <button type="submit" class="primary" name="saveField" disabled={busy}>
              {t('detail.save')}
            </button>
            <button type="button" name="cancelEdit" onClick={cancel}>
              {t('detail.discard')}
            </button>
          </div>
        </form>
      </dd>
    </div>
  );
}

/** The case's own fields, each editable in place. */
export function CaseFields(props: { item: Case; readOnly: boolean }) {
  const { item, readOnly } = props;
  const field = (name: FieldName, children: ComponentChildren, multiline = false) => (
    <EditableField item={item} field={name} readOnly={readOnly} multiline={multiline}>
      {children}
    </EditableField>
  );
  return (
    <>
      <dl class="facts facts--title">{field('title', <h2 id="case-title" class="case-title">{item.title}</h2>)}</dl>
      <dl class="facts">
        <div class="case-field">
          <dt>{t('detail.state')}</dt>
          <dd data-state={item.state}>
            {t(`state.${item.state}`)}
            {isReadOnly(item) && item.statusReason ? ` · ${statusReasonLabel(item.statusReason)}` : ''}
          </dd>
        </div>
        {!isReadOnly(item) && field('statusReason', statusReasonLabel(item.statusReason ?? 'inProgress'))}
        {field('priority', <PriorityBadge priority={item.priority} />)}
        {field('origin', t(`origin.${item.origin}`))}
        {field('subject', item.subject || <span class="muted">{t('detail.none')}</span>)}
        {field('product', item.product || <span class="muted">{t('detail.none')}</span>)}
        {field(
          'tags',
          item.tags.length > 0 ? (
            <span class="chips">
              {item.tags.map((tag) => (
                <span class="chip" key={tag}>
                  {tag}
                </span>
              ))}
            </span>
          ) : (
            <span class="muted">{t('detail.none')}</span>
          ),
        )}
        <div class="case-field">
          <dt>{t('detail.owner')}</dt>
          <dd>
            {item.owner}
            {item.team ? ` · ${item.team}` : ''}
          </dd>
        </div>
        <div class="case-field">
          <dt>{t('detail.created')}</dt>
          <dd>{formatTime(item.createdAt)}</dd>
        </div>
        {item.resolution && (
          <div class="case-field">
            <dt>{t('detail.resolution')}</dt>
            <dd>
              {statusReasonLabel(item.resolution.type)}: {item.resolution.text}
            </dd>
          </div>
        )}
      </dl>
      <dl class="facts facts--description">
        {field('description', item.description ? <span class="description">{item.description}</span> : <span class="muted">{t('detail.none')}</span>, true)}
      </dl>
    </>
  );
}
