import type { Signal } from '@preact/signals';
import { t } from '../../lib/i18n/t';
import { REDACTION_KINDS, REDACTION_MODES, type RedactionModes } from '../../lib/redaction/span';

/**
 * Options → "What is masked": per kind, mask (default) / ask / off, one
 * select each, saved with the other settings by the options form.
 */
export function RedactionModesFields({ modes }: { modes: Signal<RedactionModes> }) {
  return (
    <fieldset class="redaction-modes">
      <legend>{t('redaction.options.title')}</legend>
      <p class="field__hint" id="opt-redaction-hint">
        {t('redaction.options.help')}
      </p>
      {REDACTION_KINDS.map((kind) => (
        <label key={kind} class="field">
          <span>{t(`redaction.kind.${kind}`)}</span>{' '}
          <select
            name={`redaction.${kind}`}
            aria-describedby="opt-redaction-hint"
            value={modes.value[kind]}
            onChange={(ev) => (modes.value = { ...modes.value, [kind]: ev.currentTarget.value as RedactionModes[typeof kind] })}
          >
            {REDACTION_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {t(`redaction.mode.${mode}`)}
              </option>
            ))}
          </select>
        </label>
      ))}
    </fieldset>
  );
}
