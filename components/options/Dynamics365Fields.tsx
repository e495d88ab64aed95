import type { Signal } from '@preact/signals';
import type { FieldErrors } from '../../lib/errors';
import { t } from '../../lib/i18n/t';
import { Field, describedBy } from '../shell/Field';

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
  const status =
    signInStatus === 'signedIn' ? 'sync.d365.signedIn' : signInStatus === 'signInAgain' ? 'sync.oauth.signInAgain' : signInStatus === 'signedOut' ? 'sync.d365.signedOut' : signInStatus;
  return (
    <>
      <Field id="sync-d365-url" label={t('sync.settings.d365.url.label')} error={e['d365.url']}>
        <input
          id="sync-d365-url"
          name="d365.url"
          type="url"
          inputMode="url"
          autoComplete="off"
          spellcheck={false}
          placeholder="https://contoso.crm4.dynamics.com"
          value={url.value}
          onInput={onInput(url)}
          {...describedBy('sync-d365-url', e['d365.url'])}
        />
      </Field>
      <Field id="sync-d365-client" label={t('sync.settings.d365.clientId.label')} error={e['d365.clientId']}>
        <input
          id="sync-d365-client"
          name="d365.clientId"
          type="text"
          autoComplete="off"
          spellcheck={false}
          placeholder="00000000-0000-0000-0000-000000000000"
          value={clientId.value}
          onInput={onInput(clientId)}
          {...describedBy('sync-d365-client', e['d365.clientId'])}
        />
      </Field>
      <Field id="sync-d365-authority" label={t('sync.settings.d365.authority.label')} error={e['d365.authority']}>
        <input
          id="sync-d365-authority"
          name="d365.authority"
          type="url"
          inputMode="url"
          autoComplete="off"
          spellcheck={false}
          value={authority.value}
          onInput={onInput(authority)}
          {...describedBy('sync-d365-authority', e['d365.authority'])}
        />
      </Field>
      <p class="field__hint">
        <button type="button" name="d365.signIn" onClick={onSignIn} disabled={signingIn}>
          {t('sync.d365.signIn')}
        </button>{' '}
        <output name="d365.status" data-state={signInStatus} class={signInStatus === 'signedIn' ? 'sync-ok' : 'sync-problem'}>
          {t(status)}
        </output>
      </p>
    </>
  );
}
