import { cancelCase } from '../../../lib/cases/lifecycle';
import { FormError } from '../../shell/Field';
import type { Case } from '../../../lib/schema';
import { t } from '../../../lib/i18n/t';
import { agentName } from '../../shell/panel-state';
import { Dialog, DialogActions } from '../../shell/Dialog';
import { OpenFollowUpsOffer } from './OpenFollowUpsOffer';
import { useBlockableAction } from './use-blockable-action';

/** Cancel the case (status "Cancelled"), after the agent confirms. */
export function CancelDialog(props: { item: Case; onClose: () => void }) {
  const { error, blocking, busy, run } = useBlockableAction();
  const attempt = (closeFirst: boolean) =>
    run(async () => {
      await cancelCase(props.item.id, { actor: agentName.value, closeFollowUps: closeFirst });
      props.onClose();
    });
  return (
    <Dialog name="cancel" title={t('case.cancel.title', props.item.number)} onClose={props.onClose}>
      <p>{t('case.cancel.explain')}</p>
      <FormError error={error} />
      {blocking && (
        <OpenFollowUpsOffer followUps={blocking} actionKey="case.followUps.closeAndCancel" busy={busy} onCloseAndContinue={() => void attempt(true)} />
      )}
      <DialogActions confirmLabel={t('case.action.cancel')} dismissLabel={t('case.cancel.keep')} busy={busy} onClose={props.onClose} onConfirm={() => void attempt(false)} />
    </Dialog>
  );
}
