import { listTimeline } from '../../lib/cases/queries';
import type { TimelineEvent } from '../../lib/schema';
import { formatTime, t } from '../../lib/i18n/t';
import { PRIORITIES, ORIGINS } from '../../lib/constants';
import { statusReasonLabel } from '../format';
import { useLiveQuery } from '../shell/use-live-query';
import { summaryOfCounts } from '../redaction/summary';

const FIELD_KEYS: Record<string, string> = {
  title: 'form.title.label',
  subject: 'form.subject.label',
  origin: 'form.origin.label',
  product: 'form.product.label',
  priority: 'form.priority.label',
  statusReason: 'detail.state',
  tags: 'form.tags.label',
  description: 'form.description.label',
  customerId: 'detail.customer',
};

/** A field's value as the agent reads it: labels for choices, tags joined, long text cut. */
function shown(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return t('timeline.empty');
  if (Array.isArray(value)) return value.length ? value.join(', ') : t('timeline.empty');
  const text = String(value);
  if (field === 'priority' && (PRIORITIES as readonly string[]).includes(text)) return t(`priority.${text}`);
  if (field === 'origin' && (ORIGINS as readonly string[]).includes(text)) return t(`origin.${text}`);
  if (field === 'statusReason') return statusReasonLabel(text);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** What happened, in one line of words: old → new for field changes. */
function detailOf(event: TimelineEvent): string {
  const d = event.data;
  switch (event.kind) {
    case 'fieldChanged':
      if (typeof d.field === 'string') {
        return `${t(FIELD_KEYS[d.field] ?? 'timeline.field')}: ${shown(d.field, d.from)} → ${shown(d.field, d.to)}`;
      }
      return '';
    case 'status':
      return `${shown('statusReason', d.from)} → ${shown('statusReason', d.to)}`;
    case 'owner': {
      const from = (d.from ?? {}) as { owner?: string; team?: string | null };
      const to = (d.to ?? {}) as { owner?: string; team?: string | null };
      const who = (x: typeof from) => [x.owner, x.team].filter(Boolean).join(' / ') || t('timeline.empty');
      return `${who(from)} → ${who(to)}`;
    }
    case 'resolved':
      return `${statusReasonLabel(str(d.type))}: ${str(d.text)}${d.parentNumber ? ` (${t('timeline.viaParent', str(d.parentNumber))})` : ''}`;
    case 'cancelled':
      return statusReasonLabel(str(d.reason));
    case 'merged':
      return d.direction === 'into'
        ? t('timeline.mergedInto', [str(d.number), Number(d.notes ?? 0), Number(d.attachments ?? 0)])
        : t('timeline.mergedFrom', [str(d.number), Number(d.notes ?? 0), Number(d.attachments ?? 0)]);
    case 'reopened':
      return typeof d.from === 'object' && d.from ? t(`state.${str((d.from as { state?: unknown }).state)}`) + ' → ' + t('state.active') : '';
    case 'note':
      return str(d.excerpt);
    case 'attachment':
      return Array.isArray(d.names) ? d.names.join(', ') : '';
    case 'followUp':
      return `${str(d.title)}${typeof d.dueAt === 'number' ? ` (${formatTime(d.dueAt)})` : ''}`;
    case 'child':
      return `${str(d.number)} · ${str(d.title)}`;
    case 'created':
      return str(d.title);
    case 'redaction':
      if (d.action === 'maskedByScan') return t('redaction.maskedByScan', summaryOfCounts((d.counts ?? {}) as Record<string, number>));
      return d.action === 'keptUnmasked' ? t('redaction.keptUnmasked', t(`redaction.label.${str(d.label)}`)) : '';
    default:
      return '';
  }
}

const ACTIONS: Record<string, readonly string[]> = {
  note: ['added', 'edited', 'deleted', 'filed'],
  attachment: ['added', 'deleted'],
  followUp: ['added', 'completed'],
};

/** The event's name: notes, files and follow-ups say what was done to them. */
function headOf(event: TimelineEvent): string {
  const action = str(event.data.action);
  if (ACTIONS[event.kind]?.includes(action)) return t(`timeline.${event.kind}.${action}`);
  return t(`timeline.${event.kind}`);
}

/** Every change of the case with its time and actor, newest first. */
export function Timeline(props: { caseId: string }) {
  const events = useLiveQuery(() => listTimeline(props.caseId), [props.caseId]);
  return (
    <section aria-labelledby="timeline-heading" class="case-section">
      <h3 id="timeline-heading">{t('timeline.heading')}</h3>
      {!events ? (
        <p class="loading" aria-busy="true">
          {t('app.loading')}
        </p>
      ) : (
        <ol class="timeline">
          {events.map((event) => {
            const detail = detailOf(event);
            return (
              <li key={event.id} class="timeline__item" data-kind={event.kind}>
                <span class="timeline__what">{headOf(event)}</span>
                {detail && <span class="timeline__detail">{detail}</span>}
                <span class="timeline__when">
                  <time dateTime={new Date(event.at).toISOString()}>{formatTime(event.at)}</time> · {event.actor}
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
