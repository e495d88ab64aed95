import type { Case, Customer } from '../lib/schema';
import { formatTime, t } from '../lib/i18n/t';
import { openCase } from './panel-state';
import { PriorityBadge } from './PriorityBadge';
import { statusReasonLabel } from './case-labels';

/** One case in a list: number, priority, title, customer and last change; opens the case. */
export function CaseRow(props: { item: Case; customer?: Customer; style?: string; index?: number; inNotes?: boolean }) {
  const { item, customer } = props;
  const who = customer ? customer.name || customer.company || customer.emails[0] || customer.phones[0] : '';
  return (
    <li class="case-row" data-case-number={item.number} data-index={props.index} style={props.style}>
      <button type="button" class="case-row__button" onClick={() => openCase(item.id)}>
        <span class="case-row__top">
          <span class="case-number">{item.number}</span>
          {item.state !== 'active' && <span class="muted">{t(`state.${item.state}`)}</span>}
          {item.state === 'active' && item.statusReason && item.statusReason !== 'inProgress' && (
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
