import { useSignal } from '@preact/signals';
import { SettingInput } from './SettingInput';
import { SettingSelect } from './SettingSelect';
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
import type { SignInResult } from '../../lib/sync/backend-sign-in';
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
  const d365 = {
    url: useSignal(''),
    clientId: useSignal(''),
    authority: useSignal(D365_DEFAULT_AUTHORITY),
    status: useSignal('signedOut'),
    busy: useSignal(false),
  };

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
        d365.url.value = settings.url;
        d365.clientId.value = settings.clientId;
        d365.authority.value = settings.authority;
        void import('../../lib/sync/dynamics365/sign-in').then(async (module) => (d365.status.value = await module.dynamics365SignInState(settings)));
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
        return { kind: 'dynamics365', url: d365.url.value, clientId: d365.clientId.value, authority: d365.authority.value };
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
      kind.value === 'webhook' ? webhookUrl.value : kind.value === 'dynamics365' ? d365.url.value : kind.value === 'zendesk' ? zendesk.url.value : url.value;
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

  /**
   * "Sign in with Microsoft" or "Sign in with Zendesk": the settings as typed
   * must be valid and of that backend; the tokens are kept for its account.
   */
  const signIn = async <K extends 'dynamics365' | 'zendesk'>(
    backend: K,
    state: { status: { value: string }; busy: { value: boolean } },
    signInTo: (settings: Extract<BackendSettings, { kind: K }>) => Promise<SignInResult>,
  ) => {
    const checked = validateBackendSettings(raw());
    if (!checked.ok) return showErrors(checked.fields);
    if (checked.settings.kind !== backend) return;
    errors.value = {};
    state.busy.value = true;
    try {
      const result = await signInTo(checked.settings as Extract<BackendSettings, { kind: K }>);
      state.status.value = result.ok ? 'signedIn' : result.error;
      if (result.ok) void sendMessage('sync.nudge', {});
    } finally {
      state.busy.value = false;
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
      <SettingSelect
        id="sync-kind"
        name="backend.kind"
        label={t('sync.settings.kind.label')}
        value={kind}
        options={[
          ['none', 'sync.settings.kind.none'],
          ['rest', 'sync.settings.kind.rest'],
          ['webhook', 'sync.settings.kind.webhook'],
          ['dynamics365', 'sync.settings.kind.dynamics365'],
          ['zendesk', 'sync.settings.kind.zendesk'],
        ]}
        onChange={() => {
          saved.value = false;
          testResult.value = undefined;
        }}
        error={e['backend.kind']}
      />

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
          <SettingSelect
            id="sync-auth"
            name="backend.authType"
            label={t('sync.settings.auth.label')}
            value={authType}
            options={[
              ['bearer', 'sync.settings.auth.bearer'],
              ['header', 'sync.settings.auth.header'],
            ]}
            onChange={() => (saved.value = false)}
          />
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
          <SettingInput
            id="sync-token"
            name="backend.token"
            label={t(authType.value === 'bearer' ? 'sync.settings.token.label' : 'sync.settings.key.label')}
            type="password"
            value={token}
            onInput={onInput}
            error={e['backend.token']}
          />
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
          <SettingInput
            id="sync-secret"
            name="webhook.secret"
            label={t('sync.settings.secret.label')}
            type="password"
            value={secret}
            onInput={onInput}
            error={e['webhook.secret']}
            hint={
              <>
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
              </>
            }
          />
        </>
      )}

      {kind.value === 'dynamics365' && (
        <Dynamics365Fields
          url={d365.url}
          clientId={d365.clientId}
          authority={d365.authority}
          errors={e}
          onInput={onInput}
          signInStatus={d365.status.value}
          signingIn={d365.busy.value}
          onSignIn={() => void signIn('dynamics365', d365, async (settings) => (await import('../../lib/sync/dynamics365/sign-in')).signInToDynamics365(settings))}
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
          onSignIn={() => void signIn('zendesk', zendesk, async (settings) => (await import('../../lib/sync/zendesk/sign-in')).signInToZendesk(settings))}
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
