import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * A modal dialog of the panel (the native <dialog>): it traps the focus, puts
 * it on its first field, closes on Escape, and gives the focus back to the
 * control that had it (the button that opened it) when it closes. Used for resolve, merge,
 * reassign, cancel, the unsaved-customer question and previews; never
 * window.confirm, which a side panel shows as a browser-wide alert.
 */
export function Dialog(props: {
  /** Becomes the dialog's `name` attribute and the id prefix of its title. */
  name: string;
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  class?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : undefined;
    if (!dialog.open) dialog.showModal();
    const first = dialog.querySelector<HTMLElement>(
      'input:not([type="hidden"]):not(:disabled), select:not(:disabled), textarea:not(:disabled), [contenteditable="true"], button:not(:disabled)',
    );
    first?.focus();
    return () => {
      if (dialog.open) dialog.close();
      // The owner unmounts the dialog rather than closing it: give the focus back by hand.
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  const titleId = `${props.name}-dialog-title`;
  return (
    <dialog
      ref={ref}
      class={`dialog ${props.class ?? ''}`}
      data-name={props.name}
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Escape: the dialog closes through its owner's state, so it can be reopened.
        event.preventDefault();
        props.onClose();
      }}
    >
      <h2 id={titleId} class="dialog__title">
        {props.title}
      </h2>
      {props.children}
    </dialog>
  );
}

/**
 * A dialog's two buttons: the action (`name="confirm"`, a submit unless
 * `onConfirm` is given) and the way out (`name="dismiss"`).
 */
export function DialogActions(props: { confirmLabel: string; dismissLabel: string; busy: boolean; onClose: () => void; onConfirm?: () => void }) {
  return (
    <div class="actions">
      <button type={props.onConfirm ? 'button' : 'submit'} class="primary" name="confirm" disabled={props.busy} onClick={props.onConfirm}>
        {props.confirmLabel}
      </button>
      <button type="button" name="dismiss" onClick={props.onClose}>
        {props.dismissLabel}
      </button>
    </div>
  );
}
