import type { Signal } from '@preact/signals';
import { t } from '../../lib/i18n/t';
import { Field, describedBy } from '../shell/Field';

/**
 * One choice of the options page (a backend's kind, how it signs in, a ticket
 * type): labelled, its error beneath it, bound to its signal. `options` pairs
 * each value with the message key of its label.
 */
export function SettingSelect<T extends string>(props: {
  id: string;
  name: string;
  label: string;
  value: Signal<T>;
  options: readonly (readonly [value: T, labelKey: string])[];
  onChange: () => void;
  error?: string;
}) {
  return (
    <Field id={props.id} label={props.label} error={props.error}>
      <select
        id={props.id}
        name={props.name}
        value={props.value.value}
        onChange={(event) => {
          props.value.value = event.currentTarget.value as T;
          props.onChange();
        }}
        {...describedBy(props.id, props.error)}
      >
        {props.options.map(([value, labelKey]) => (
          <option value={value} key={value}>
            {t(labelKey)}
          </option>
        ))}
      </select>
    </Field>
  );
}
