import { isReadOnly } from '../../lib/cases/read-only';
import { slaStatus } from '../../lib/cases/sla';
import type { Case } from '../../lib/schema';
import { formatTime, t } from '../../lib/i18n/t';
import { openCase } from '../shell/panel-state';
import { PriorityBadge } from './PriorityBadge';
import { statusReasonLabel } from '../format';

/** What a row shows of a case: a stored case, or a search result (lib/schema.ts CaseSearchResult). */
export type CaseRowItem = Pick<Case, 'id' | 'number' | 'title' | 'priority' | 'state' | 'statusReason' | 'updatedAt'> &
  Partial<Pick<Case, 'createdAt' | 'sla' | 'resolution'>>;

/** The worse of the case's two SLA timers, for an open case with targets (a search result carries none). */
function slaLevelOf(item: CaseRowItem): string | undefined {
  if (!item.sla || item.createdAt === undefined || isReadOnly(item)) return undefined;
  return slaStatus({ ...item, createdAt: item.createdAt, sla: item.sla }, Date.now()).level;
}

/**
 * One case in a list, dense: a stripe in its priority's colour, number, status,
 * SLA chip and priority on the first line, the title, then the customer (`who`,
 * lib/customers/label.ts) and last change. Opens the case.
 */
export function CaseRow(props: { item: CaseRowItem; who: string; style?: string; index?: number; inNotes?: boolean }) {
  const { item, who } = props;
  const sla = slaLevelOf(item);
  return (
    <li class={`case-row case-row--${item.priority}`} data-case-number={item.number} data-index={props.index} style={props.style}>
      <button type="button" class="case-row__button" onClick={() => openCase(item.id)}>
        <span class="case-row__top">
          <span class="case-number">{item.number}</span>
          {isReadOnly(item) && <span class="muted">{t(`state.${item.state}`)}</span>}
          {!isReadOnly(item) && item.statusReason && item.statusReason !== 'inProgress' && (
            <span class="muted">{statusReasonLabel(item.statusReason)}</span>
          )}
          <span class="case-row__chips">
            {sla && (
              <span class={`badge sla-chip sla--${sla}`} data-sla-level={sla}>
                {t(`sla.level.${sla}`)}
              </span>
            )}
            <PriorityBadge priority={item.priority} />
          </span>
        </span>
        <span class="case-row__title">{item.title}</span>
        <span class="case-row__meta">
          {who}
          {who ? ' · ' : ''}
          {formatTime(item.updatedAt)}
          {props.inNotes ? ` · ${t('search.inNote')}` : ''}
        </span>
      </button>
    </li>
  );
}
