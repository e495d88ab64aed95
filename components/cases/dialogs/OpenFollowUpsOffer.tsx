import type { FollowUp } from '../../../lib/schema';
import { formatTime, t } from '../../../lib/i18n/t';

/**
 * Open follow-ups block resolving, cancelling and merging: this says so, lists
 * them and offers to close them and carry on ("Close them and resolve").
 */
export function OpenFollowUpsOffer(props: { followUps: FollowUp[]; actionKey: string; busy: boolean; onCloseAndContinue: () => void }) {
  return (
    <div class="form__error follow-ups-offer" role="alert" id="open-follow-ups">
      <p>{t('case.followUps.blocking', props.followUps.length)}</p>
      <ul>
        {props.followUps.map((f) => (
          <li key={f.id}>
            {f.title} · {formatTime(f.dueAt)}
          </li>
        ))}
      </ul>
      <button type="button" name="closeFollowUps" disabled={props.busy} onClick={props.onCloseAndContinue}>
        {t(props.actionKey)}
      </button>
    </div>
  );
}
