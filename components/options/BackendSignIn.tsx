import { t } from '../../lib/i18n/t';

/**
 * "Sign in with …" and where that sign-in stands, for a backend that signs in
 * through OAuth (Dynamics 365, Zendesk). `status` is 'signedOut' | 'signedIn'
 * | 'signInAgain', or the message key of the last sign-in's failure.
 */
export function BackendSignIn(props: {
  /** The prefix of the button's and the output's `name`: `<name>.signIn`, `<name>.status`. */
  name: string;
  keys: { signIn: string; signedIn: string; signedOut: string };
  status: string;
  signingIn: boolean;
  onSignIn: () => void;
}) {
  const { name, keys, status, signingIn, onSignIn } = props;
  const message = status === 'signedIn' ? keys.signedIn : status === 'signInAgain' ? 'sync.oauth.signInAgain' : status === 'signedOut' ? keys.signedOut : status;
  return (
    <p class="field__hint">
      <button type="button" name={`${name}.signIn`} onClick={onSignIn} disabled={signingIn}>
        {t(keys.signIn)}
      </button>{' '}
      <output name={`${name}.status`} data-state={status} class={status === 'signedIn' ? 'sync-ok' : 'sync-problem'}>
        {t(message)}
      </output>
    </p>
  );
}
