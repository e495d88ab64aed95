import type { Signal } from '@preact/signals';
import { SettingInput } from './SettingInput';
import { SettingSelect } from './SettingSelect';
import { BackendSignIn } from './BackendSignIn';
import type { FieldErrors } from '../../lib/errors';
import { t } from '../../lib/i18n/t';
import { ZENDESK_TICKET_TYPES } from '../../lib/sync/settings';

export type ZendeskAuthType = 'token' | 'oauth';

export interface ZendeskFieldsProps {
  url: Signal<string>;
  auth: Signal<ZendeskAuthType>;
  email: Signal<string>;
  token: Signal<string>;
  clientId: Signal<string>;
  ticketType: Signal<string>;
  errors: FieldErrors;
  onInput: (target: Signal<string>) => (event: Event) => void;
  onChange: () => void;
  /** 'signedOut' | 'signedIn' | 'signInAgain', or a message key of the last sign-in's failure. */
  signInStatus: string;
  signingIn: boolean;
  onSignIn: () => void;
}

/**
 * The Zendesk group of the Sync settings: the account, then an API token
 * (email + token) or "Sign in with Zendesk" (OAuth client id), and the
 * ticket type. docs/zendesk.md.
 */
export function ZendeskFields(props: ZendeskFieldsProps) {
  const { url, auth, email, token, clientId, ticketType, errors: e, onInput, onChange, signInStatus, signingIn, onSignIn } = props;
  return (
    <>
      <SettingInput
        id="sync-zendesk-url"
        name="zendesk.url"
        label={t('sync.settings.zendesk.url.label')}
        type="url"
        value={url}
        onInput={onInput}
        error={e['zendesk.url']}
        placeholder="https://acme.zendesk.com"
      />
      <SettingSelect
        id="sync-zendesk-auth"
        name="zendesk.auth"
        label={t('sync.settings.zendesk.auth.label')}
        value={auth}
        options={[
          ['token', 'sync.settings.zendesk.auth.token'],
          ['oauth', 'sync.settings.zendesk.auth.oauth'],
        ]}
        onChange={onChange}
        error={e['zendesk.auth']}
      />
      {auth.value === 'token' ? (
        <>
          <SettingInput
            id="sync-zendesk-email"
            name="zendesk.email"
            label={t('sync.settings.zendesk.email.label')}
            type="email"
            value={email}
            onInput={onInput}
            error={e['zendesk.email']}
          />
          <SettingInput
            id="sync-zendesk-token"
            name="zendesk.token"
            label={t('sync.settings.zendesk.token.label')}
            type="password"
            value={token}
            onInput={onInput}
            error={e['zendesk.token']}
            hint={t('sync.settings.zendesk.token.hint')}
          />
        </>
      ) : (
        <>
          <SettingInput
            id="sync-zendesk-client"
            name="zendesk.clientId"
            label={t('sync.settings.zendesk.clientId.label')}
            type="text"
            value={clientId}
            onInput={onInput}
            error={e['zendesk.clientId']}
            placeholder="sidecase"
          />
          <BackendSignIn
            name="zendesk"
            keys={{ signIn: 'sync.zendesk.signIn', signedIn: 'sync.zendesk.signedIn', signedOut: 'sync.zendesk.signedOut' }}
            status={signInStatus}
            signingIn={signingIn}
            onSignIn={onSignIn}
          />
        </>
      )}
      <SettingSelect
        id="sync-zendesk-type"
        name="zendesk.ticketType"
        label={t('sync.settings.zendesk.ticketType.label')}
        value={ticketType}
        options={[['', 'sync.settings.zendesk.ticketType.none'], ...ZENDESK_TICKET_TYPES.map((type) => [type, `sync.settings.zendesk.ticketType.${type}`] as const)]}
        onChange={onChange}
      />
    </>
  );
}
