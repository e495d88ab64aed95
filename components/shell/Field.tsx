import type { ComponentChildren } from 'preact';
import { t } from '../../lib/i18n/t';

/** A labelled control with its error message right beneath it. */
export function Field(props: {
  id: string;
  label: string;
  error?: string;
  hint?: ComponentChildren;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <div class={`field ${props.error ? 'field--invalid' : ''} ${props.class ?? ''}`}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint}
      {props.error && (
        <p class="field__error" id={`${props.id}-error`} role="alert">
          {t(props.error)}
        </p>
      )}
    </div>
  );
}

/** aria attributes tying a control to its error message. */
export function describedBy(id: string, error: string | undefined, extra?: string) {
  const ids = [error ? `${id}-error` : '', extra ?? ''].filter(Boolean).join(' ');
  return { 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': ids || undefined };
}

/** A form's own error (not a field's): announced, shown above its buttons. */
export function FormError(props: { error: string | undefined }) {
  if (!props.error) return null;
  return (
    <p class="form__error" role="alert">
      {t(props.error)}
    </p>
  );
}
