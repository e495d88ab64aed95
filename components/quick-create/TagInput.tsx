import { LIMITS } from '../../lib/constants';
import { t } from '../../lib/i18n/t';
import { DRAFT_CAPS } from '../../lib/drafts';
import { draft, errors, setFieldError, updateDraft } from './form-state';
import { Field, describedBy } from '../shell/Field';
import { loadSaveCode, saveCodeNow } from './save-code';

/**
 * Tags as chips: Enter, Tab or a comma adds what was typed; a duplicate
 * (ignoring case), an over-long tag or a 21st tag is refused with a message
 * next to the input, and the text goes back there to be fixed.
 */
export async function addPendingTag(): Promise<boolean> {
  const text = draft.value.tagInput;
  if (!text.trim()) return true;
  // Taken out of the input at once, so what the agent types next starts a new
  // tag even while the validator is still loading.
  updateDraft({ tagInput: '' });
  const refuse = (key: string) => {
    updateDraft({ tagInput: text + draft.value.tagInput });
    setFieldError('tags', key);
    return false;
  };
  const { Tag } = saveCodeNow() ?? (await loadSaveCode());
  const parsed = Tag.safeParse(text);
  if (!parsed.success) return refuse(parsed.error.issues[0]?.message ?? 'form.tags.tooLong');
  const tags = draft.value.tags;
  if (tags.some((tag) => tag.toLocaleLowerCase() === parsed.data.toLocaleLowerCase())) return refuse('form.tags.duplicate');
  if (tags.length >= LIMITS.tagsMax) return refuse('form.tags.tooMany');
  updateDraft({ tags: [...tags, parsed.data] });
  setFieldError('tags', undefined);
  return true;
}

export function TagInput() {
  const { tags, tagInput } = draft.value;
  const error = errors.value.tags;
  const onKeyDown = (event: KeyboardEvent) => {
    const adds = event.key === 'Enter' || event.key === ',' || (event.key === 'Tab' && !event.shiftKey && tagInput.trim());
    if (adds && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      void addPendingTag();
    } else if (event.key === 'Backspace' && !tagInput && tags.length > 0) {
      updateDraft({ tags: tags.slice(0, -1) });
    }
  };
  return (
    <Field id="qc-tags" label={t('form.tags.label')} error={error}>
      <div class="chips">
        {tags.map((tag) => (
          <span class="chip" key={tag}>
            <span class="chip__text">{tag}</span>
            <button
              type="button"
              class="chip__remove"
              aria-label={t('form.tags.remove', tag)}
              onClick={() => updateDraft({ tags: tags.filter((x) => x !== tag) })}
            >
              ×
            </button>
          </span>
        ))}
        <input
          id="qc-tags"
          name="tags"
          type="text"
          autocomplete="off"
          value={tagInput}
          maxLength={DRAFT_CAPS.text}
          placeholder={t('form.tags.placeholder')}
          onInput={(e) => {
            updateDraft({ tagInput: e.currentTarget.value });
            if (error) setFieldError('tags', undefined);
          }}
          onKeyDown={onKeyDown}
          {...describedBy('qc-tags', error, 'qc-tags-hint')}
        />
      </div>
      <p class="field__hint" id="qc-tags-hint">
        {t('form.tags.hint', [tags.length, LIMITS.tagsMax])}
      </p>
    </Field>
  );
}
