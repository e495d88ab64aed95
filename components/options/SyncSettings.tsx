import { useSignal } from '@preact/signals';
import { SettingInput } from './SettingInput';
import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { FieldErrors } from '../../lib/errors';
import { t } from '../../lib/i18n/t';
import { sendMessage } from '../../lib/messages';
import {
  generateWebhookSecret,
  loadBackendSettings,
  originPattern,
  saveBackendSettings,
  isBackendSwitch,
  testBackendConnection,
  validateBackendSettings,
  type BackendSettings,
} from '../../lib/sync';
import { Field, describedBy } from '../shell/Field';
import { D365_DEFAULT_AUTHORITY } from '../../lib/sync/settings';
import { Dynamics365Fields } from './Dynamics365Fields';
import { ZendeskFields, type ZendeskAuthType } from './ZendeskFields';
import '../sync/sync.css';

type Kind = BackendSettings['kind'];
type AuthType = 'bearer' | 'header';
type Permission = 'unknown' | 'granted' | 'missing';

/** The order errors are focused in. */
const FIELD_ORDER = [
  'backend.kind',
  'backend.url',
  'backend.headerName',
  'backend.token',
  'webhook.url',
  'webhook.secret',
  'd365.url',
  'd365.clientId',
  'd365.authority',
  'zendesk.url',
  'zendesk.auth',
  'zendesk.email',
  'zendesk.token',
  'zendesk.clientId',
];

/**
 * Options: where changes are delivered. None (the default: Sidecase works
 * offline), a REST backend or a webhook. Credentials are kept in the
 * extension's IndexedDB (lib/sync/settings.ts), never in storage a content
 * script could read, and never shown in a message.
 */
export function SyncSettings() {
  const kind = useSignal<Kind>('none');
  const url = useSignal('');
  const authType = useSignal<AuthType>('bearer');
  const token = useSignal('');
  const headerName = useSignal('');
  const webhookUrl = useSignal('');
  const secret = useSignal('');
  // Zendesk (docs/zendesk.md): the account, an API token or an OAuth sign-in, the ticket type.
  const zendesk = {
    url: useSignal(''),
    auth: useSignal<ZendeskAuthType>('token'),
    email: useSignal(''),
    token: useSignal(''),
    clientId: useSignal(''),
    ticketType: useSignal(''),
    status: useSignal('signedOut'),
    busy: useSignal(false),
  };
  const errors = useSignal<FieldErrors>({});
  const saved = useSignal(false);
  const loaded = useSignal(false);
  const testing = useSignal(false);
  const testResult = useSignal<{ ok: boolean; key: string; who?: string } | undefined>(undefined);
  const permission = useSignal<Permission>('unknown');
  const origin = useSignal<string | undefined>(undefined);
  /** The settings as stored: a different backend in the form is a switch, said before Save. */
  const stored = useSignal<BackendSettings>({ kind: 'none' });
  // Dynamics 365 (docs/dynamics365.md): the organisation, the app registration, the authority, and the sign-in's state.
  const d365Url = useSignal('');
  const d365ClientId = useSignal('');
  const d365Authority = useSignal(D365_DEFAULT_AUTHORITY);
  const d365Status = useSignal('signedOut');
  const d365Busy = useSignal(false);

  useEffect(() => {
    void loadBackendSettings().then((settings) => {
      stored.value = settings;
      kind.value = settings.kind;
      if (settings.kind === 'rest') {
        url.value = settings.url;
        authType.value = settings.auth.type;
        token.value = settings.auth.type === 'bearer' ? settings.auth.token : settings.auth.key;
        headerName.value = settings.auth.type === 'header' ? settings.auth.name : '';
      } else if (settings.kind === 'webhook') {
        webhookUrl.value = settings.url;
        secret.value = settings.secret;
      } else if (settings.kind === 'dynamics365') {
        d365Url.value = settings.url;
        d365ClientId.value = settings.clientId;
        d365Authority.value = settings.authority;
        void import('../../lib/sync/dynamics365/sign-in').then(async (d365) => (d365Status.value = await d365.dynamics365SignInState(settings)));
      } else if (settings.kind === 'zendesk') {
        zendesk.url.value = settings.url;
        zendesk.auth.value = settings.auth.type;
        if (settings.auth.type === 'token') {
          zendesk.email.value = settings.auth.email;
          zendesk.token.value = settings.auth.token;
        } else {
          zendesk.clientId.value = settings.auth.clientId;
          void import('../../lib/sync/zendesk/sign-in').then(async (zd) => (zendesk.status.value = await zd.zendeskSignInState(settings)));
        }
        zendesk.ticketType.value = settings.ticketType ?? '';
      }
      void checkPermission(settings);
      loaded.value = true;
    });
  }, []);

  const raw = (): unknown => {
    switch (kind.value) {
      case 'none':
        return { kind: 'none' };
      case 'rest':
        return {
          kind: 'rest',
          url: url.value,
          auth:
            authType.value === 'bearer'
              ? { type: 'bearer', token: token.value }
              : { type: 'header', name: headerName.value, key: token.value },
        };
      case 'webhook':
        return { kind: 'webhook', url: webhookUrl.value, secret: secret.value };
      case 'dynamics365':
        return { kind: 'dynamics365', url: d365Url.value, clientId: d365ClientId.value, authority: d365Authority.value };
      case 'zendesk':
        return {
          kind: 'zendesk',
          url: zendesk.url.value,
          auth:
            zendesk.auth.value === 'oauth'
              ? { type: 'oauth', clientId: zendesk.clientId.value }
              : { type: 'token', email: zendesk.email.value, token: zendesk.token.value },
          ...(zendesk.ticketType.value ? { ticketType: zendesk.ticketType.value } : {}),
        };
    }
  };

  /** The form's backend as far as a switch is concerned: its kind and URL, spelled as stored. */
  const formBackend = (): BackendSettings => {
    const typed =
      kind.value === 'webhook' ? webhookUrl.value : kind.value === 'dynamics365' ? d365Url.value : kind.value === 'zendesk' ? zendesk.url.value : url.value;
    const address = typed.trim().replace(/\/+$/, '');
    return kind.value === 'none' ? { kind: 'none' } : ({ kind: kind.value, url: address } as BackendSettings);
  };

  const showErrors = (fields: FieldErrors) => {
    errors.value = fields;
    const first = FIELD_ORDER.find((name) => fields[name]);
    if (first) document.querySelector<HTMLElement>(`form[name="sync"] [name="${first}"]`)?.focus();
  };

  async function checkPermission(settings: BackendSettings) {
    if (settings.kind === 'none') {
      permission.value = 'unknown';
      origin.value = undefined;
      return;
    }
    const pattern = originPattern(settings.url);
    origin.value = pattern;
    try {
      permission.value = (await browser.permissions.contains({ origins: [pattern] })) ? 'granted' : 'missing';
    } catch {
      permission.value = 'missing';
    }
  }

  /**
   * Never awaited on the save path: the settings are stored already, a
   * declined prompt changes nothing, and a prompt nobody answers (headless
   * Chromium never does) must not hold anything up. A backend that answers
   * CORS works without the permission.
   */
  function requestPermission(pattern: string) {
    browser.permissions
      .request({ origins: [pattern] })
      .then((granted) => (permission.value = granted ? 'granted' : 'missing'))
      .catch(() => (permission.value = 'missing'));
  }

  const save = async (event: Event) => {
    event.preventDefault();
    saved.value = false;
    testResult.value = undefined;
    // The settings' write starts first; the permission is asked right after, still inside the
    // click: Firefox refuses permissions.request once the handler has awaited ("may only be
    // called from a user input handler"). Never awaited: a declined or unanswered prompt
    // loses nothing and blocks nothing.
    const saving = saveBackendSettings(raw());
    const checked = validateBackendSettings(raw());
    if (checked.ok && checked.settings.kind !== 'none') {
      origin.value = originPattern(checked.settings.url);
      permission.value = 'missing';
      requestPermission(origin.value);
    }
    const result = await saving;
    if (!result.ok) return showErrors(result.fields);
    errors.value = {};
    stored.value = result.settings;
    saved.value = true;
    // The changes that waited (or were refused under the old settings) go now.
    void sendMessage('sync.nudge', {});
    if (result.settings.kind === 'none') void checkPermission(result.settings);
  };

  const test = async () => {
    const checked = validateBackendSettings(raw());
    testResult.value = undefined;
    if (!checked.ok) return showErrors(checked.fields);
    errors.value = {};
    testing.value = true;
    try {
      const outcome = await testBackendConnection(checked.settings);
      testResult.value = outcome.ok
        ? outcome.signedInAs
          ? { ok: true, key: 'sync.test.signedInAs', who: outcome.signedInAs }
          : { ok: true, key: 'sync.test.ok' }
        : { ok: false, key: outcome.error };
    } finally {
      testing.value = false;
    }
  };

  /** "Sign in with Microsoft": the settings as typed must be valid; the tokens are kept for the organisation. */
  const signInD365 = async () => {
    const checked = validateBackendSettings(raw());
    if (!checked.ok) return showErrors(checked.fields);
    if (checked.settings.kind !== 'dynamics365') return;
    errors.value = {};
    d365Busy.value = true;
    try {
      const { signInToDynamics365 } = await import('../../lib/sync/dynamics365/sign-in');
      const result = await signInToDynamics365(checked.settings);
      d365Status.value = result.ok ? 'signedIn' : result.error;
      if (result.ok) void sendMessage('sync.nudge', {});
    } finally {
      d365Busy.value = false;
    }
  };

  /** "Sign in with Zendesk": the settings as typed must be valid; the tokens are kept for the account. */
  const signInZendesk = async () => {
    const checked = validateBackendSettings(raw());
    if (!checked.ok) return showErrors(checked.fields);
    if (checked.settings.kind !== 'zendesk') return;
    errors.value = {};
    zendesk.busy.value = true;
    try {
      const { signInToZendesk } = await import('../../lib/sync/zendesk/sign-in');
      const result = await signInToZendesk(checked.settings);
      zendesk.status.value = result.ok ? 'signedIn' : result.error;
      if (result.ok) void sendMessage('sync.nudge', {});
    } finally {
      zendesk.busy.value = false;
    }
  };

  const e = errors.value;
  const onInput = (target: { value: string }) => (ev: Event) => {
    target.value = (ev.currentTarget as HTMLInputElement).value;
    saved.value = false;
  };
  return (
    <form
      name="sync"
      class="sync-settings"
      onSubmit={save}
      noValidate
      aria-busy={!loaded.value}
      data-loaded={loaded.value ? 'true' : undefined}
      aria-labelledby="sync-heading"
    >
      <h2 id="sync-heading">{t('sync.settings.heading')}</h2>
      <p class="field__hint">{t('sync.settings.intro')}</p>
      <Field id="sync-kind" label={t('sync.settings.kind.label')} error={e['backend.kind']}>
        <select
          id="sync-kind"
          name="backend.kind"
          value={kind.value}
          onChange={(ev) => {
            kind.value = ev.currentTarget.value as Kind;
            saved.value = false;
            testResult.value = undefined;
          }}
          {...describedBy('sync-kind', e['backend.kind'])}
        >
          <option value="none">{t('sync.settings.kind.none')}</option>
          <option value="rest">{t('sync.settings.kind.rest')}</option>
          <option value="webhook">{t('sync.settings.kind.webhook')}</option>
          <option value="dynamics365">{t('sync.settings.kind.dynamics365')}</option>
          <option value="zendesk">{t('sync.settings.kind.zendesk')}</option>
        </select>
      </Field>

      {kind.value === 'rest' && (
        <>
          <SettingInput
            id="sync-url"
            name="backend.url"
            label={t('sync.settings.url.label')}
            type="url"
            value={url}
            onInput={onInput}
            error={e['backend.url']}
            placeholder="https://crm.example/api/sidecase"
          />
          <Field id="sync-auth" label={t('sync.settings.auth.label')}>
            <select
              id="sync-auth"
              name="backend.authType"
              value={authType.value}
              onChange={(ev) => {
                authType.value = ev.currentTarget.value as AuthType;
                saved.value = false;
              }}
            >
              <option value="bearer">{t('sync.settings.auth.bearer')}</option>
              <option value="header">{t('sync.settings.auth.header')}</option>
            </select>
          </Field>
          {authType.value === 'header' && (
            <SettingInput
              id="sync-header-name"
              name="backend.headerName"
              label={t('sync.settings.headerName.label')}
              type="text"
              value={headerName}
              onInput={onInput}
              error={e['backend.headerName']}
              placeholder="X-Api-Key"
            />
          )}
          <Field
            id="sync-token"
            label={t(authType.value === 'bearer' ? 'sync.settings.token.label' : 'sync.settings.key.label')}
            error={e['backend.token']}
          >
            <input
              id="sync-token"
              name="backend.token"
              type="password"
              autoComplete="off"
              spellcheck={false}
              value={token.value}
              onInput={onInput(token)}
              {...describedBy('sync-token', e['backend.token'])}
            />
          </Field>
        </>
      )}

      {kind.value === 'webhook' && (
        <>
          <SettingInput
            id="sync-webhook-url"
            name="webhook.url"
            label={t('sync.settings.webhookUrl.label')}
            type="url"
            value={webhookUrl}
            onInput={onInput}
            error={e['webhook.url']}
            placeholder="https://n8n.example/webhook/sidecase"
          />
          <Field
            id="sync-secret"
            label={t('sync.settings.secret.label')}
            error={e['webhook.secret']}
            hint={
              <p class="field__hint" id="sync-secret-hint">
                {t('sync.settings.secret.hint')}{' '}
                <button
                  type="button"
                  class="link"
                  name="generate-secret"
                  onClick={() => {
                    secret.value = generateWebhookSecret();
                    saved.value = false;
                  }}
                >
                  {t('sync.settings.secret.generate')}
                </button>
              </p>
            }
          >
            <input
              id="sync-secret"
              name="webhook.secret"
              type="password"
              autoComplete="off"
              spellcheck={false}
              value={secret.value}
              onInput={onInput(secret)}
              {...describedBy('sync-secret', e['webhook.secret'], 'sync-secret-hint')}
            />
          </Field>
        </>
      )}

      {kind.value === 'dynamics365' && (
        <Dynamics365Fields
          url={d365Url}
          clientId={d365ClientId}
          authority={d365Authority}
          errors={e}
          onInput={onInput}
          signInStatus={d365Status.value}
          signingIn={d365Busy.value}
          onSignIn={() => void signInD365()}
        />
      )}
      {kind.value === 'zendesk' && (
        <ZendeskFields
          url={zendesk.url}
          auth={zendesk.auth}
          email={zendesk.email}
          token={zendesk.token}
          clientId={zendesk.clientId}
          ticketType={zendesk.ticketType}
          errors={e}
          onInput={onInput}
          onChange={() => (saved.value = false)}
          signInStatus={zendesk.status.value}
          signingIn={zendesk.busy.value}
          onSignIn={() => void signInZendesk()}
        />
      )}

      {loaded.value && isBackendSwitch(stored.value, formBackend()) && (
        <p class="field__hint sync-switch" role="note" data-notice="backend-switch">
          {t('sync.settings.switchNotice')}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" name="save-sync">
          {t('sync.settings.save')}
        </button>
        {kind.value !== 'none' && (
          <button type="button" name="test-connection" onClick={() => void test()} disabled={testing.value}>
            {t(testing.value ? 'sync.test.running' : 'sync.test.button')}
          </button>
        )}
        <span role="status" class="sync-settings__saved">
          {saved.value ? t('options.saved') : ''}
        </span>
      </div>
      <output name="test-result" class={testResult.value?.ok === false ? 'sync-problem' : 'sync-ok'} aria-live="polite">
        {testResult.value ? t(testResult.value.key, testResult.value.who) : ''}
      </output>
      {kind.value !== 'none' && permission.value === 'missing' && origin.value && (
        <p class="field__hint sync-permission">
          {t('sync.permission.hint')}{' '}
          <button type="button" class="link" name="grant-permission" onClick={() => requestPermission(origin.value!)}>
            {t('sync.permission.grant')}
          </button>
        </p>
      )}
    </form>
  );
}
