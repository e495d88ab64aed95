import { listMyActiveCases, countMyActiveCases } from '../lib/cases/queries';
import { db } from '../lib/db/db';
import type { Case, Customer } from '../lib/schema';
import { formatTime, t } from '../lib/i18n/t';
import { agentName, openCase } from './panel-state';
import { PriorityBadge } from './PriorityBadge';
import { useLiveQuery } from './use-live-query';

const PAGE = 50;

/** "My active cases": the agent's active cases, most recently updated first. */
export function CaseList() {
  const owner = agentName.value;
  const data = useLiveQuery(async () => {
    const [cases, total] = await Promise.all([listMyActiveCases(owner, PAGE), countMyActiveCases(owner)]);
    const customers = await db.customers.bulkGet([...new Set(cases.map((c) => c.customerId))]);
    const byId = new Map(customers.filter((c): c is Customer => !!c).map((c) => [c.id, c]));
    return { cases, total, byId };
  }, [owner]);
  return (
    <section class="case-list" aria-labelledby="my-cases-heading">
      <h2 id="my-cases-heading">
        {t('list.myActive')} {data && <span class="count">({data.total})</span>}
      </h2>
      {!data ? (
        <p class="loading" aria-busy="true">{t('app.loading')}</p>
      ) : data.cases.length === 0 ? (
        <p class="empty">{t('list.empty')}</p>
      ) : (
        <ul class="cases" aria-labelledby="my-cases-heading">
          {data.cases.map((c) => (
            <CaseRow key={c.id} item={c} customer={data.byId.get(c.customerId)} />
          ))}
        </ul>
      )}
      {data && data.total > data.cases.length && <p class="field__hint">{t('list.showing', [data.cases.length, data.total])}</p>}
    </section>
  );
}

function CaseRow(props: { item: Case; customer?: Customer }) {
  const { item, customer } = props;
  return (
    <li class="case-row" data-case-number={item.number}>
      <button type="button" class="case-row__button" onClick={() => openCase(item.id)}>
        <span class="case-row__top">
          <span class="case-number">{item.number}</span>
          <PriorityBadge priority={item.priority} />
        </span>
        <span class="case-row__title">{item.title}</span>
        <span class="case-row__meta">
          {customer ? customer.name || customer.company || customer.emails[0] : ''} · {formatTime(item.updatedAt)}
        </span>
      </button>
    </li>
  );
}
