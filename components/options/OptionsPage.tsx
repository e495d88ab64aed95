import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { fieldErrorsOf, type FieldErrors } from '../../lib/errors';
import { t } from '../../lib/i18n/t';
import { Settings, loadSettings, saveSettings } from '../../lib/settings';
import { DeliveryLog } from './DeliveryLog';
import { Field, describedBy } from '../shell/Field';
import { SyncSettings } from './SyncSettings';
import { CaseSettingsForm } from './CaseSettingsForm';
import { ScanStored } from './ScanStored';
import { RedactionModesFields } from '../redaction/RedactionModesFields';
import { DEFAULT_REDACTION_MODES, type RedactionModes } from '../../lib/redaction/span';

/**
 * Options: who the agent is, which addresses are the agent's own (never the
 * customer), and where changes are delivered (with the delivery log).
 */
export function OptionsPage() {
  const agentName = useSignal('');
  const ownAddresses = useSignal('');
  const defaultCountry = useSignal('');
  const redaction = useSignal<RedactionModes>(DEFAULT_REDACTION_MODES);
  const errors = useSignal<FieldErrors>({});
  const status = useSignal<'idle' | 'saved'>('idle');
  const loaded = useSignal(false);

  useEffect(() => {
    void loadSettings().then((settings) => {
      agentName.value = settings.agentName;
      ownAddresses.value = settings.ownAddresses.join('\n');
      defaultCountry.value = settings.defaultCountry;
      redaction.value = settings.redaction ?? DEFAULT_REDACTION_MODES;
      loaded.value = true;
      document.body.dataset.ready = 'true';
    });
  }, []);

  const save = async (event: Event) => {
    event.preventDefault();
    const input = {
      agentName: agentName.value,
      ownAddresses: ownAddresses.value.split(/[\n,;]+/).map((s) => s.trim()).filter(Boolean),
      defaultCountry: defaultCountry.value.trim().toUpperCase(),
      redaction: redaction.value,
    };
    const parsed = Settings.safeParse(input);
    if (!parsed.success) {
      const fields = fieldErrorsOf(parsed.error);
      // One message for the list as a whole, next to the list.
      errors.value = Object.fromEntries(Object.entries(fields).map(([path, key]) => [path.split('.')[0]!, key]));
      status.value = 'idle';
      return;
    }
    await saveSettings(parsed.data);
    errors.value = {};
    status.value = 'saved';
  };

  const e = errors.value;
  return (
    <main class="options">
      <h1>{t('options.heading')}</h1>
      <form name="options" onSubmit={save} noValidate aria-busy={!loaded.value}>
        <Field id="opt-agent-name" label={t('options.agentName.label')} error={e.agentName}>
          <input
            id="opt-agent-name"
            name="agentName"
            type="text"
            value={agentName.value}
            onInput={(ev) => (agentName.value = ev.currentTarget.value)}
            {...describedBy('opt-agent-name', e.agentName)}
          />
        </Field>
        <Field
          id="opt-own-addresses"
          label={t('options.ownAddresses.label')}
          error={e.ownAddresses}
          hint={
            <p class="field__hint" id="opt-own-addresses-hint">
              {t('options.ownAddresses.hint')}
            </p>
          }
        >
          <textarea
            id="opt-own-addresses"
            name="ownAddresses"
            rows={4}
            value={ownAddresses.value}
            onInput={(ev) => (ownAddresses.value = ev.currentTarget.value)}
            {...describedBy('opt-own-addresses', e.ownAddresses, 'opt-own-addresses-hint')}
          />
        </Field>
        <Field
          id="opt-default-country"
          label={t('options.defaultCountry.label')}
          error={e.defaultCountry}
          hint={
            <p class="field__hint" id="opt-default-country-hint">
              {t('options.defaultCountry.hint')}
            </p>
          }
        >
          <input
            id="opt-default-country"
            name="defaultCountry"
            type="text"
            maxLength={2}
            autocomplete="off"
            value={defaultCountry.value}
            onInput={(ev) => (defaultCountry.value = ev.currentTarget.value)}
            {...describedBy('opt-default-country', e.defaultCountry, 'opt-default-country-hint')}
          />
        </Field>
        <RedactionModesFields modes={redaction} />
        <div class="actions">
          <button type="submit" class="primary">
            {t('options.save')}
          </button>
          <span role="status">{status.value === 'saved' ? t('options.saved') : ''}</span>
        </div>
      </form>
      <ScanStored />
      <CaseSettingsForm />
      <SyncSettings />
      <DeliveryLog />
    </main>
  );
}
