import { useState } from 'preact/hooks';
import { FollowUpsOpenError } from '../../../lib/cases/lifecycle';
import type { FollowUp } from '../../../lib/schema';
import { errorKeyOf } from '../../format';

/**
 * A dialog's action that open follow-ups may block (cancel, merge): busy while
 * it runs; after a refusal, the blocking follow-ups (for OpenFollowUpsOffer,
 * whose "close them and …" runs the action again with `closeFollowUps`) or the
 * error's message key.
 */
export function useBlockableAction() {
  const [error, setError] = useState<string | undefined>(undefined);
  const [blocking, setBlocking] = useState<FollowUp[] | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (e) {
      if (e instanceof FollowUpsOpenError) setBlocking(e.followUps);
      else setError(errorKeyOf(e));
    } finally {
      setBusy(false);
    }
  };
  return { error, setError, blocking, busy, run };
}
