import type { Signal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { Field, describedBy } from '../shell/Field';

/**
 * One text setting of the options page (a backend's address, a token, an id):
 * labelled, its error beneath it, never autofilled or spell-checked (a token
 * must not reach a dictionary service), bound to its signal. A hint, when
 * given, stands beneath the input as `<id>-hint` and is read with it.
 */
export function SettingInput(props: {
  id: string;
  name: string;
  label: string;
  type: 'url' | 'text' | 'password' | 'email';
  value: Signal<string>;
  onInput: (target: Signal<string>) => (event: Event) => void;
  error?: string;
  placeholder?: string;
  hint?: ComponentChildren;
}) {
  const hintId = props.hint === undefined ? undefined : `${props.id}-hint`;
  return (
    <Field
      id={props.id}
      label={props.label}
      error={props.error}
      hint={
        hintId && (
          <p class="field__hint" id={hintId}>
            {props.hint}
          </p>
        )
      }
    >
      <input
        id={props.id}
        name={props.name}
        type={props.type}
        inputMode={props.type === 'url' ? 'url' : undefined}
        autoComplete="off"
        spellcheck={false}
        placeholder={props.placeholder}
        value={props.value.value}
        onInput={props.onInput(props.value)}
        {...describedBy(props.id, props.error, hintId)}
      />
    </Field>
  );
}
