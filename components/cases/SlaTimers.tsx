import { useEffect, useState } from 'preact/hooks';
import { slaStatus, type SlaTimer } from '../../lib/cases/sla';
import type { Case } from '../../lib/schema';
import { formatTime, t } from '../../lib/i18n/t';
import { formatDuration } from '../format';

/** Re-render every 30 s: a count-down in minutes needs no more. */
function useNow(periodMs = 30_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return now;
}

/**
 * The case's SLA count-downs: first response and resolve, each coloured
 * ok / near breach / breached and saying so in words (colour is never the only signal).
 */
export function SlaTimers(props: { item: Case }) {
  const now = useNow();
  const status = slaStatus(props.item, now);
  if (!status.firstResponse || !status.resolve) return null;
  return (
    <section class="sla" aria-labelledby="sla-heading">
      <h3 id="sla-heading" class="visually-hidden">
        {t('sla.heading')}
      </h3>
      <ul class="sla__timers">
        <Timer label={t('sla.timer.firstResponse')} timer={status.firstResponse} name="firstResponse" />
        <Timer label={t('sla.timer.resolve')} timer={status.resolve} name="resolve" />
      </ul>
    </section>
  );
}

function Timer(props: { label: string; timer: SlaTimer; name: string }) {
  const { timer } = props;
  const remaining =
    timer.level === 'met'
      ? ''
      : timer.remainingMs < 0
        ? t('sla.overdue', formatDuration(timer.remainingMs))
        : t('sla.left', formatDuration(timer.remainingMs));
  return (
    <li class={`sla__timer sla--${timer.level}`} data-sla={props.name} data-level={timer.level} title={formatTime(timer.dueAt)}>
      <span class="sla__label">{props.label}</span>
      <span class="sla__level">{t(`sla.level.${timer.level}`)}</span>
      {remaining && <span class="sla__remaining">{remaining}</span>}
    </li>
  );
}
