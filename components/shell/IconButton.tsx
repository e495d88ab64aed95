import type { ComponentChildren } from 'preact';

/**
 * A header button shown as a symbol: its label is both its accessible name
 * and its tooltip, so a screen reader and a mouse user read the same words.
 */
export function IconButton(props: { name: string; label: string; keyShortcuts?: string; onClick: () => void; children: ComponentChildren }) {
  return (
    <button
      type="button"
      class="icon-button"
      name={props.name}
      aria-label={props.label}
      title={props.label}
      aria-keyshortcuts={props.keyShortcuts}
      onClick={props.onClick}
    >
      {props.children}
    </button>
  );
}
