import type { Signal } from '@preact/signals';
import { SettingInput } from './SettingInput';
import { Field, describedBy } from '../shell/Field';
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
  const status =
    signInStatus === 'signedIn'
      ? 'sync.zendesk.signedIn'
      : signInStatus === 'signInAgain'
        ? 'sync.oauth.signInAgain'
        : signInStatus === 'signedOut'
          ? 'sync.zendesk.signedOut'
          : signInStatus;
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
      <Field id="sync-zendesk-auth" label={t('sync.settings.zendesk.auth.label')} error={e['zendesk.auth']}>
        <select
          id="sync-zendesk-auth"
          name="zendesk.auth"
          value={auth.value}
          onChange={(ev) => {
            auth.value = ev.currentTarget.value as ZendeskAuthType;
            onChange();
          }}
          {...describedBy('sync-zendesk-auth', e['zendesk.auth'])}
        >
          <option value="token">{t('sync.settings.zendesk.auth.token')}</option>
          <option value="oauth">{t('sync.settings.zendesk.auth.oauth')}</option>
        </select>
      </Field>
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
          <Field
            id="sync-zendesk-token"
            label={t('sync.settings.zendesk.token.label')}
            error={e['zendesk.token']}
            hint={
              <p class="field__hint" id="sync-zendesk-token-hint">
                {t('sync.settings.zendesk.token.hint')}
              </p>
            }
          >
            <input
              id="sync-zendesk-token"
              name="zendesk.token"
              type="password"
              autoComplete="off"
              spellcheck={false}
              value={token.value}
              onInput={onInput(token)}
              {...describedBy('sync-zendesk-token', e['zendesk.token'], 'sync-zendesk-token-hint')}
            />
          </Field>
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
          <p class="field__hint">
            <button type="button" name="zendesk.signIn" onClick={onSignIn} disabled={signingIn}>
              {t('sync.zendesk.signIn')}
            </button>{' '}
            <output name="zendesk.status" data-state={signInStatus} class={signInStatus === 'signedIn' ? 'sync-ok' : 'sync-problem'}>
              {t(status)}
            </output>
          </p>
        </>
      )}
      <Field id="sync-zendesk-type" label={t('sync.settings.zendesk.ticketType.label')}>
        <select
          id="sync-zendesk-type"
          name="zendesk.ticketType"
          value={ticketType.value}
          onChange={(ev) => {
            ticketType.value = ev.currentTarget.value;
            onChange();
          }}
        >
          <option value="">{t('sync.settings.zendesk.ticketType.none')}</option>
          {ZENDESK_TICKET_TYPES.map((type) => (
            <option value={type} key={type}>
              {t(`sync.settings.zendesk.ticketType.${type}`)}
            </option>
          ))}
        </select>
      </Field>
    </>
  );
}
