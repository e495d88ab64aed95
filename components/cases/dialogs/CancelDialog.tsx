import { cancelCase } from '../../../lib/cases/lifecycle';
import type { Case } from '../../../lib/schema';
import { t } from '../../../lib/i18n/t';
import { agentName } from '../../shell/panel-state';
import { Dialog } from '../../shell/Dialog';
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
      {error && (
        <p class="form__error" role="alert">
          {t(error)}
        </p>
      )}
      {blocking && (
        <OpenFollowUpsOffer followUps={blocking} actionKey="case.followUps.closeAndCancel" busy={busy} onCloseAndContinue={() => void attempt(true)} />
      )}
      <div class="actions">
        <button type="button" class="primary" name="confirm" disabled={busy} onClick={() => void attempt(false)}>
          {t('case.action.cancel')}
        </button>
        <button type="button" name="dismiss" onClick={props.onClose}>
          {t('case.cancel.keep')}
        </button>
      </div>
    </Dialog>
  );
}
