import { isReadOnly } from '../../lib/cases/read-only';
import type { Case } from '../../lib/schema';
import { formatTime, t } from '../../lib/i18n/t';
import { openCase } from '../shell/panel-state';
import { PriorityBadge } from './PriorityBadge';
import { statusReasonLabel } from '../format';

/** What a row shows of a case: a stored case, or a search result (lib/schema.ts CaseSearchResult). */
export type CaseRowItem = Pick<Case, 'id' | 'number' | 'title' | 'priority' | 'state' | 'statusReason' | 'updatedAt'>;

/** One case in a list: number, priority, title, customer (`who`, lib/customers/label.ts) and last change; opens the case. */
export function CaseRow(props: { item: CaseRowItem; who: string; style?: string; index?: number; inNotes?: boolean }) {
  const { item, who } = props;
  return (
    <li class="case-row" data-case-number={item.number} data-index={props.index} style={props.style}>
      <button type="button" class="case-row__button" onClick={() => openCase(item.id)}>
        <span class="case-row__top">
          <span class="case-number">{item.number}</span>
          {isReadOnly(item) && <span class="muted">{t(`state.${item.state}`)}</span>}
          {!isReadOnly(item) && item.statusReason && item.statusReason !== 'inProgress' && (
            <span class="muted">{statusReasonLabel(item.statusReason)}</span>
          )}
          <PriorityBadge priority={item.priority} />
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
