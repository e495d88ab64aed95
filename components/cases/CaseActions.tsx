import { useState } from 'preact/hooks';
import { FormError } from '../shell/Field';
import { childCaseDefaults, reopenCase } from '../../lib/cases/lifecycle';
import { isReadOnly } from '../../lib/cases/read-only';
import type { Case } from '../../lib/schema';
import { t } from '../../lib/i18n/t';
import { agentName, goHome, openCase } from '../shell/panel-state';
import { updateCustomer, updateDraft } from '../quick-create/form-state';
import { CancelDialog } from './dialogs/CancelDialog';
import { MergeDialog } from './dialogs/MergeDialog';
import { ReassignDialog } from './dialogs/ReassignDialog';
import { ResolveDialog } from './dialogs/ResolveDialog';
import { errorKeyOf } from '../format';

type Open = 'resolve' | 'cancel' | 'merge' | 'reassign' | undefined;

/**
 * "New child case": the quick-create form gets the parent's customer (and its
 * origin, priority and product), and the panel goes home to it.
 */
async function startChildCase(parentId: string, parentNumber: string): Promise<void> {
  const defaults = await childCaseDefaults(parentId);
  updateDraft({ parentId, parentNumber, origin: defaults.origin, priority: defaults.priority, product: defaults.product });
  updateCustomer(defaults.customer);
  goHome();
  requestAnimationFrame(() => document.querySelector<HTMLElement>('form[name="quick-create"] [name="title"]')?.focus());
}

/**
 * What can be done to the case. A resolved or cancelled case shows why its
 * actions are disabled and offers Reopen (a merged case points to where its
 * notes and files went instead).
 */
export function CaseActions(props: { item: Case; mergedInto?: Case }) {
  const { item } = props;
  const [open, setOpen] = useState<Open>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const readOnly = isReadOnly(item);
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(errorKeyOf(e));
    } finally {
      setBusy(false);
    }
  };
  const action = (name: Exclude<Open, undefined> | 'newChild', label: string, onClick: () => void) => (
    <button
      type="button"
      name={name}
      disabled={readOnly || busy}
      aria-describedby={readOnly ? 'case-readonly-reason' : undefined}
      onClick={onClick}
    >
      {label}
    </button>
  );
  const close = () => {
    setOpen(undefined);
    // The dialog gives the focus back to the button that opened it (shell/Dialog.tsx); when that
    // button is disabled now (the case was resolved), to the button row, so keyboard work carries on.
    requestAnimationFrame(() => {
      if (document.activeElement === document.body) document.querySelector<HTMLElement>('.case-actions button:not(:disabled)')?.focus();
    });
  };

  return (
    <section class="case-actions" aria-label={t('case.actions.label')}>
      {readOnly && (
        <div class="readonly-notice" id="case-readonly-reason" role="note">
          <p>
            {item.statusReason === 'merged'
              ? t('case.readOnly.merged', props.mergedInto?.number ?? '')
              : t(item.state === 'resolved' ? 'case.readOnly.resolved' : 'case.readOnly.cancelled')}
          </p>
          {item.statusReason === 'merged' && item.mergedIntoId ? (
            <button type="button" class="link" name="openMergedInto" onClick={() => openCase(item.mergedIntoId!)}>
              {t('case.merge.openTarget', props.mergedInto?.number ?? '')}
            </button>
          ) : (
            <button type="button" class="primary" name="reopen" disabled={busy} onClick={() => void run(() => reopenCase(item.id, { actor: agentName.value }))}>
              {t('case.action.reopen')}
            </button>
          )}
        </div>
      )}
      <div class="actions">
        {action('resolve', t('case.action.resolve'), () => setOpen('resolve'))}
        {action('cancel', t('case.action.cancel'), () => setOpen('cancel'))}
        {action('merge', t('case.action.merge'), () => setOpen('merge'))}
        {action('reassign', t('case.action.reassign'), () => setOpen('reassign'))}
        {action('newChild', t('case.action.newChild'), () => void run(() => startChildCase(item.id, item.number)))}
      </div>
      <FormError error={error} />
      {open === 'resolve' && <ResolveDialog item={item} onClose={close} />}
      {open === 'cancel' && <CancelDialog item={item} onClose={close} />}
      {open === 'merge' && <MergeDialog item={item} onClose={close} />}
      {open === 'reassign' && <ReassignDialog item={item} onClose={close} />}
    </section>
  );
}
