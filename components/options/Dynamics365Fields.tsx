import type { Signal } from '@preact/signals';
import { SettingInput } from './SettingInput';
import { BackendSignIn } from './BackendSignIn';
import type { FieldErrors } from '../../lib/errors';
import { t } from '../../lib/i18n/t';

export interface Dynamics365FieldsProps {
  url: Signal<string>;
  clientId: Signal<string>;
  authority: Signal<string>;
  errors: FieldErrors;
  onInput: (target: Signal<string>) => (event: Event) => void;
  /** 'signedOut' | 'signedIn' | 'signInAgain', or a message key of the last sign-in's failure. */
  signInStatus: string;
  signingIn: boolean;
  onSignIn: () => void;
}

/** The Dynamics 365 group of the Sync settings: organisation, app registration, authority, "Sign in with Microsoft". */
export function Dynamics365Fields({ url, clientId, authority, errors: e, onInput, signInStatus, signingIn, onSignIn }: Dynamics365FieldsProps) {
  return (
    <>
      <SettingInput
        id="sync-d365-url"
        name="d365.url"
        label={t('sync.settings.d365.url.label')}
        type="url"
        value={url}
        onInput={onInput}
        error={e['d365.url']}
        placeholder="https://contoso.crm4.dynamics.com"
      />
      <SettingInput
        id="sync-d365-client"
        name="d365.clientId"
        label={t('sync.settings.d365.clientId.label')}
        type="text"
        value={clientId}
        onInput={onInput}
        error={e['d365.clientId']}
        placeholder="00000000-0000-0000-0000-000000000000"
      />
      <SettingInput
        id="sync-d365-authority"
        name="d365.authority"
        label={t('sync.settings.d365.authority.label')}
        type="url"
        value={authority}
        onInput={onInput}
        error={e['d365.authority']}
      />
      <BackendSignIn
        name="d365"
        keys={{ signIn: 'sync.d365.signIn', signedIn: 'sync.d365.signedIn', signedOut: 'sync.d365.signedOut' }}
        status={signInStatus}
        signingIn={signingIn}
        onSignIn={onSignIn}
      />
    </>
  );
}
