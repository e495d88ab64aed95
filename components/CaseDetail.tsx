import { getCase, getCustomer, listCasesForCustomer, listTimeline } from '../lib/cases/queries';
import type { Case, TimelineEvent } from '../lib/schema';
import { formatTime, t } from '../lib/i18n/t';
import { openCase } from './panel-state';
import { PriorityBadge } from './PriorityBadge';
import { useLiveQuery } from './use-live-query';

/** A case: its fields, a card of its customer with their other cases, and its timeline. */
export function CaseDetail(props: { id: string }) {
  const data = useLiveQuery(async () => {
    const item = await getCase(props.id);
    if (!item) return { item: undefined };
    const [customer, customerCases, timeline] = await Promise.all([
      getCustomer(item.customerId),
      listCasesForCustomer(item.customerId),
      listTimeline(item.id),
    ]);
    return { item, customer, others: customerCases.filter((c) => c.id !== item.id), timeline };
  }, [props.id]);
  if (!data) return <p class="loading" aria-busy="true">{t('app.loading')}</p>;
  const { item } = data;
  if (!item) return <p role="alert">{t('detail.notFound')}</p>;
  return (
    <article class="case-detail" aria-labelledby="case-title" data-case-id={item.id}>
      <p class="case-number">{item.number}</p>
      <h2 id="case-title">{item.title}</h2>
      <dl class="facts">
        <dt>{t('detail.state')}</dt>
        <dd>
          {t(`state.${item.state}`)}
          {item.statusReason ? ` · ${t(`reason.${item.statusReason}`)}` : ''}
        </dd>
        <dt>{t('form.priority.label')}</dt>
        <dd>
          <PriorityBadge priority={item.priority} />
        </dd>
        <dt>{t('form.origin.label')}</dt>
        <dd>{t(`origin.${item.origin}`)}</dd>
        {item.subject && <Fact label={t('form.subject.label')} value={item.subject} />}
        {item.product && <Fact label={t('form.product.label')} value={item.product} />}
        <dt>{t('detail.owner')}</dt>
        <dd>{item.owner}</dd>
        {item.tags.length > 0 && (
          <>
            <dt>{t('form.tags.label')}</dt>
            <dd class="chips">
              {item.tags.map((tag) => (
                <span class="chip" key={tag}>
                  {tag}
                </span>
              ))}
            </dd>
          </>
        )}
        <dt>{t('detail.created')}</dt>
        <dd>{formatTime(item.createdAt)}</dd>
      </dl>
      {item.description && (
        <section aria-labelledby="case-description">
          <h3 id="case-description">{t('form.description.label')}</h3>
          <p class="description">{item.description}</p>
        </section>
      )}
      {data.customer && (
        <section class="customer-card" aria-labelledby="customer-card-heading">
          <h3 id="customer-card-heading">{t('detail.customer')}</h3>
          <p class="customer-card__name">{data.customer.name || data.customer.company}</p>
          {data.customer.company && data.customer.name && <p>{data.customer.company}</p>}
          {data.customer.emails.map((email) => (
            <p key={email}>{email}</p>
          ))}
          {data.customer.phones.map((phone) => (
            <p key={phone}>{phone}</p>
          ))}
          <h4>{t('detail.otherCases')}</h4>
          {data.others && data.others.length > 0 ? (
            <ul class="other-cases">
              {data.others.map((other) => (
                <li key={other.id}>
                  <button type="button" class="link" onClick={() => openCase(other.id)}>
                    {other.number} · {other.title}
                  </button>{' '}
                  <span class="muted">{t(`state.${other.state}`)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t('detail.noOtherCases')}</p>
          )}
        </section>
      )}
      <section aria-labelledby="timeline-heading">
        <h3 id="timeline-heading">{t('timeline.heading')}</h3>
        <ol class="timeline">
          {(data.timeline ?? []).map((event) => (
            <TimelineItem key={event.id} event={event} item={item} />
          ))}
        </ol>
      </section>
    </article>
  );
}

function Fact(props: { label: string; value: string }) {
  return (
    <>
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </>
  );
}

function TimelineItem(props: { event: TimelineEvent; item: Case }) {
  const { event } = props;
  return (
    <li class="timeline__item" data-kind={event.kind}>
      <span class="timeline__what">{t(`timeline.${event.kind}`)}</span>
      <span class="timeline__when">
        {formatTime(event.at)} · {event.actor}
      </span>
    </li>
  );
}
