import { useState } from 'preact/hooks';
import { FollowUpsOpenError, resolveCase } from '../../../lib/cases/lifecycle';
import { RESOLUTION_TEXT_MAX, RESOLUTION_TYPES, type Case, type FollowUp } from '../../../lib/schema';
import { t } from '../../../lib/i18n/t';
import { agentName } from '../../shell/panel-state';
import { Dialog, DialogActions } from '../../shell/Dialog';
import { Field, describedBy, FormError } from '../../shell/Field';
import { OpenFollowUpsOffer } from './OpenFollowUpsOffer';
import { caseSettings } from '../case-settings-live';
import { errorKeyOf } from '../../format';

/** Resolve: a resolution type and a text, both required, each refused next to its field. */
export function ResolveDialog(props: { item: Case; onClose: () => void }) {
  const [type, setType] = useState('');
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [blocking, setBlocking] = useState<FollowUp[] | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const resolve = async (closeFollowUps: boolean) => {
    await resolveCase(
      props.item.id,
      { type: type as (typeof RESOLUTION_TYPES)[number], text },
      // No expected version: closing follow-ups bumps it, and the dialog shows the case as it is.
      { actor: agentName.value, policy: caseSettings.value.parentChildPolicy, closeFollowUps },
    );
    props.onClose();
  };
  const attempt = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (error) {
      if (error instanceof FollowUpsOpenError) {
        setBlocking(error.followUps);
        setErrors({});
      } else {
        const path = (error as { path?: string }).path;
        setErrors({ [path === 'type' || path === 'text' ? path : 'form']: errorKeyOf(error) });
        setBlocking(undefined);
      }
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: Event) => {
    event.preventDefault();
    // Both fields at once: the agent sees every missing part, not one per try.
    const local: Record<string, string> = {};
    if (!type) local.type = 'case.resolve.needsType';
    if (!text.trim()) local.text = 'case.resolve.needsText';
    if (Object.keys(local).length > 0) {
      setErrors(local);
      document.querySelector<HTMLElement>(`form[name="resolve"] [name="${local.type ? 'resolution.type' : 'resolution.text'}"]`)?.focus();
      return;
    }
    void attempt(() => resolve(false));
  };
  const closeAndResolve = () => void attempt(() => resolve(true));

  return (
    <Dialog name="resolve" title={t('case.resolve.title', props.item.number)} onClose={props.onClose}>
      <form name="resolve" onSubmit={submit} noValidate>
        <Field id="resolve-type" label={t('case.resolve.type')} error={errors.type}>
          <select
            id="resolve-type"
            name="resolution.type"
            value={type}
            onChange={(e) => {
              setType(e.currentTarget.value);
              setErrors(({ type: _gone, ...rest }) => rest);
            }}
            {...describedBy('resolve-type', errors.type)}
          >
            <option value="">{t('case.resolve.choose')}</option>
            {RESOLUTION_TYPES.map((r) => (
              <option key={r} value={r}>
                {t(`case.resolutionType.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="resolve-text" label={t('case.resolve.text')} error={errors.text}>
          <textarea
            id="resolve-text"
            name="resolution.text"
            rows={4}
            maxLength={RESOLUTION_TEXT_MAX}
            value={text}
            onInput={(e) => {
              setText(e.currentTarget.value);
              if (errors.text) setErrors(({ text: _gone, ...rest }) => rest);
            }}
            {...describedBy('resolve-text', errors.text)}
          />
        </Field>
        <FormError error={errors.form} />
        {blocking && (
          <OpenFollowUpsOffer followUps={blocking} actionKey="case.followUps.closeAndResolve" busy={busy} onCloseAndContinue={closeAndResolve} />
        )}
        <DialogActions confirmLabel={t('case.action.resolve')} dismissLabel={t('dialog.close')} busy={busy} onClose={props.onClose} />
      </form>
    </Dialog>
  );
}
