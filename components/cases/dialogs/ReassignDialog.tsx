import { useState } from 'preact/hooks';
import { reassignCase } from '../../../lib/cases/lifecycle';
import type { Case } from '../../../lib/schema';
import { t } from '../../../lib/i18n/t';
import { agentName } from '../../shell/panel-state';
import { Dialog, DialogActions } from '../../shell/Dialog';
import { Field, describedBy, FormError } from '../../shell/Field';
import { errorKeyOf } from '../../format';

/** Reassign: another agent and/or team; recorded on the timeline. */
export function ReassignDialog(props: { item: Case; onClose: () => void }) {
  const [owner, setOwner] = useState(props.item.owner);
  const [team, setTeam] = useState(props.item.team ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      await reassignCase(props.item.id, { owner, team }, { actor: agentName.value });
      props.onClose();
    } catch (error) {
      const path = (error as { path?: string }).path;
      setErrors({ [path === 'owner' || path === 'team' ? path : 'form']: errorKeyOf(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog name="reassign" title={t('case.reassign.title', props.item.number)} onClose={props.onClose}>
      <form name="reassign" onSubmit={(e) => void submit(e)} noValidate>
        <Field id="reassign-owner" label={t('case.reassign.owner')} error={errors.owner}>
          <input id="reassign-owner" name="owner" value={owner} maxLength={200} onInput={(e) => setOwner(e.currentTarget.value)} {...describedBy('reassign-owner', errors.owner)} />
        </Field>
        <Field id="reassign-team" label={t('case.reassign.team')} error={errors.team}>
          <input id="reassign-team" name="team" value={team} maxLength={200} onInput={(e) => setTeam(e.currentTarget.value)} {...describedBy('reassign-team', errors.team)} />
        </Field>
        <FormError error={errors.form} />
        <DialogActions confirmLabel={t('case.action.reassign')} dismissLabel={t('dialog.close')} busy={busy} onClose={props.onClose} />
      </form>
    </Dialog>
  );
}
