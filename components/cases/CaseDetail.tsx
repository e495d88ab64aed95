import { getCase, getCustomer } from '../../lib/cases/queries';
import { listFollowUps } from '../../lib/cases/follow-ups';
import { listChildCases } from '../../lib/cases/lifecycle';
import { isReadOnly } from '../../lib/cases/read-only';
import { statusReasonLabel } from '../format';
import { t } from '../../lib/i18n/t';
import { openCase } from '../shell/panel-state';
import { ConflictBanner } from '../sync/ConflictBanner';
import { SyncBadge } from '../sync/SyncBadge';
import { CaseActions } from './CaseActions';
import { CaseFields } from './CaseFields';
import { CaseTabs } from './CaseTabs';
import { CustomerCard } from './CustomerCard';
import { FollowUps } from './FollowUps';
import { Lazy } from '../shell/Lazy';
import { NoteList } from '../notes/NoteList';
import { PriorityBadge } from './PriorityBadge';
import { SlaTimers } from './SlaTimers';
import { Timeline } from './Timeline';
import { useLiveQuery } from '../shell/use-live-query';
import './case-settings-live';
import '../shell/leave-guard';
import './case-work.css';

const loadAttachments = () => import('../attachments/Attachments').then((m) => m.Attachments);

/**
 * A case being worked: its header (number, sync state, status, priority, SLA
 * timers), then its sections as tabs: Details (fields editable in place,
 * actions: resolve, cancel, merge, reassign, child case, reopen; related
 * cases, follow-ups, the customer card), Notes, Attachments, Timeline. A
 * resolved or cancelled case is shown read-only, every disabled control
 * pointing at the reason.
 */
export function CaseDetail(props: { id: string }) {
  const data = useLiveQuery(async () => {
    const item = await getCase(props.id);
    if (!item) return { item: undefined };
    const [customer, followUps, children, parent, mergedInto] = await Promise.all([
      getCustomer(item.customerId),
      listFollowUps(item.id),
      listChildCases(item.id),
      item.parentId ? getCase(item.parentId) : undefined,
      item.mergedIntoId ? getCase(item.mergedIntoId) : undefined,
    ]);
    return { item, customer, followUps, children, parent, mergedInto };
  }, [props.id]);
  if (!data) return <p class="loading" aria-busy="true">{t('app.loading')}</p>;
  const { item } = data;
  if (!item) return <p role="alert">{t('detail.notFound')}</p>;
  const readOnly = isReadOnly(item);
  const status = readOnly || !item.statusReason ? t(`state.${item.state}`) : statusReasonLabel(item.statusReason);
  return (
    <article class={`case-detail ${readOnly ? 'case-detail--readonly' : ''}`} aria-labelledby="case-title" data-case-id={item.id} data-state={item.state}>
      <header class="case-head">
        <p class="case-number">{item.number} <SyncBadge entity="case" id={item.id} /></p>
        <p class="case-head__chips">
          <span class="badge case-head__status" data-status={item.statusReason ?? item.state}>
            {status}
          </span>
          <PriorityBadge priority={item.priority} />
        </p>
        <SlaTimers item={item} />
      </header>
      <ConflictBanner entity="case" id={item.id} />
      <CaseTabs
        panels={{
          details: (
            <>
              <CaseFields item={item} readOnly={readOnly} />
              <CaseActions item={item} mergedInto={data.mergedInto} />
              {(data.parent || (data.children && data.children.length > 0)) && (
                <section class="case-section" aria-labelledby="related-heading">
                  <h3 id="related-heading">{t('detail.related')}</h3>
                  {data.parent && (
                    <p>
                      {t('detail.parent')}{' '}
                      <button type="button" class="link" onClick={() => openCase(data.parent!.id)}>
                        {data.parent.number} · {data.parent.title}
                      </button>
                    </p>
                  )}
                  {data.children && data.children.length > 0 && (
                    <ul class="other-cases" aria-label={t('detail.children')}>
                      {data.children.map((child) => (
                        <li key={child.id}>
                          <button type="button" class="link" onClick={() => openCase(child.id)}>
                            {child.number} · {child.title}
                          </button>{' '}
                          <span class="muted">{t(`state.${child.state}`)}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </section>
              )}
              <FollowUps caseId={item.id} followUps={data.followUps ?? []} readOnly={readOnly} />
              {data.customer && <CustomerCard customer={data.customer} caseId={item.id} />}
            </>
          ),
          notes: <NoteList caseId={item.id} readOnly={readOnly} />,
          attachments: <Lazy load={loadAttachments} props={{ caseId: item.id, readOnly }} />,
          timeline: <Timeline caseId={item.id} />,
        }}
      />
    </article>
  );
}
