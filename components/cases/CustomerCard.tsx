import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { customerLabel } from '../../lib/customers/label';
import { editCustomer } from '../../lib/customers/update';
import { recentCasesForCustomer } from '../../lib/cases/queries';
import { ValidationError } from '../../lib/errors';
import type { Customer } from '../../lib/schema';
import { t } from '../../lib/i18n/t';
import { agentName, openCase, showView } from '../shell/panel-state';
import { Dialog } from '../shell/Dialog';
import { Field, describedBy, FormError } from '../shell/Field';
import { useLiveQuery } from '../shell/use-live-query';
import { showCustomerCases } from './case-views-state';
import { continueLeaving, guardLeaving, pendingLeave, stayOnCase } from '../shell/leave-guard';
import { errorKeyOf } from '../format';

interface CustomerEdit {
  customerId: string;
  version: number;
  name: string;
  company: string;
  emails: string;
  phones: string;
}

/**
 * The card's edit in progress, outside the component: it survives a re-render
 * of the case, and the leave guard can ask whether it holds unsaved changes.
 */
const editing = signal<CustomerEdit | undefined>(undefined);
const errors = signal<Record<string, string>>({});
const saving = signal(false);

const lines = (text: string) => text.split(/[\n,;]+/).map((s) => s.trim()).filter(Boolean);

function isDirty(customer: Customer | undefined): boolean {
  const e = editing.value;
  if (!e || !customer || e.customerId !== customer.id) return false;
  return (
    e.name !== customer.name ||
    e.company !== customer.company ||
    lines(e.emails).join('\n') !== customer.emails.join('\n') ||
    lines(e.phones).join('\n') !== customer.phones.join('\n')
  );
}

async function saveEdit(): Promise<boolean> {
  const e = editing.value;
  if (!e) return true;
  saving.value = true;
  try {
    await editCustomer(
      e.customerId,
      { name: e.name, company: e.company, emails: lines(e.emails), phones: lines(e.phones) },
      { actor: agentName.value, expectedVersion: e.version },
    );
    editing.value = undefined;
    errors.value = {};
    return true;
  } catch (error) {
    if (error instanceof ValidationError) {
      // 'emails.1' → the emails box.
      const fields: Record<string, string> = {};
      for (const [path, key] of Object.entries(error.fields)) fields[path.split('.')[0]!] ??= key;
      errors.value = fields;
    } else {
      const path = (error as { path?: string }).path;
      errors.value = { [path && ['name', 'company', 'emails', 'phones'].includes(path) ? path : 'form']: errorKeyOf(error) };
    }
    return false;
  } finally {
    saving.value = false;
  }
}

function discardEdit(): void {
  editing.value = undefined;
  errors.value = {};
}

/**
 * The customer of the case: inline edit with Save and Discard (editCustomer),
 * a question before leaving the case with unsaved changes, and the customer's
 * recent cases.
 */
export function CustomerCard(props: { customer: Customer; caseId: string }) {
  const { customer } = props;
  const recent = useLiveQuery(() => recentCasesForCustomer(customer.id, { exceptId: props.caseId, limit: 5 }), [customer.id, props.caseId]);
  const e = editing.value?.customerId === customer.id ? editing.value : undefined;
  const errs = errors.value;

  // An edit of another customer (left behind on another case) does not follow the agent here.
  useEffect(() => {
    if (editing.value && editing.value.customerId !== customer.id) discardEdit();
  }, [customer.id]);
  useEffect(() => guardLeaving(() => isDirty(customer)), [customer]);
  // An edit opened but unchanged does not outlive the card.
  useEffect(() => () => void (isDirty(customer) || discardEdit()), []);

  const start = () => {
    errors.value = {};
    editing.value = {
      customerId: customer.id,
      version: customer.version,
      name: customer.name,
      company: customer.company,
      emails: customer.emails.join('\n'),
      phones: customer.phones.join('\n'),
    };
  };
  const set = (patch: Partial<CustomerEdit>) => {
    if (editing.value) editing.value = { ...editing.value, ...patch };
  };
  const label = customerLabel(customer);

  return (
    <section class="customer-card" aria-labelledby="customer-card-heading">
      <h3 id="customer-card-heading">{t('detail.customer')}</h3>
      {e ? (
        <form
          name="customer"
          onSubmit={(ev) => {
            ev.preventDefault();
            void saveEdit();
          }}
          noValidate
        >
          <Field id="customer-name" label={t('form.customer.name.label')} error={errs.name}>
            <input id="customer-name" name="customer.name" value={e.name} autoFocus onInput={(ev) => set({ name: ev.currentTarget.value })} {...describedBy('customer-name', errs.name)} />
          </Field>
          <Field id="customer-company" label={t('form.customer.company.label')} error={errs.company}>
            <input id="customer-company" name="customer.company" value={e.company} onInput={(ev) => set({ company: ev.currentTarget.value })} {...describedBy('customer-company', errs.company)} />
          </Field>
          <Field id="customer-emails" label={t('customer.emails.label')} error={errs.emails} hint={<p class="field__hint" id="customer-emails-hint">{t('customer.onePerLine')}</p>}>
            <textarea id="customer-emails" name="customer.emails" rows={2} value={e.emails} onInput={(ev) => set({ emails: ev.currentTarget.value })} {...describedBy('customer-emails', errs.emails, 'customer-emails-hint')} />
          </Field>
          <Field id="customer-phones" label={t('customer.phones.label')} error={errs.phones}>
            <textarea id="customer-phones" name="customer.phones" rows={2} value={e.phones} onInput={(ev) => set({ phones: ev.currentTarget.value })} {...describedBy('customer-phones', errs.phones, 'customer-emails-hint')} />
          </Field>
          <FormError error={errs.form} />
          <div class="actions">
            <button type="submit" class="primary" name="customer.save" disabled={saving.value}>
              {t('detail.save')}
            </button>
            <button type="button" name="customer.discard" onClick={discardEdit}>
              {t('detail.discard')}
            </button>
          </div>
        </form>
      ) : (
        <>
          <p class="customer-card__name">{customer.name || customer.company}</p>
          {customer.company && customer.name && <p>{customer.company}</p>}
          {customer.emails.map((email) => (
            <p key={email}>{email}</p>
          ))}
          {customer.phones.map((phone) => (
            <p key={phone}>{phone}</p>
          ))}
          <button type="button" class="link" name="customer.edit" onClick={start}>
            {t('customer.edit')}
          </button>
        </>
      )}
      <h4>{t('detail.otherCases')}</h4>
      {recent && recent.length > 0 ? (
        <ul class="other-cases">
          {recent.map((other) => (
            <li key={other.id}>
              <button type="button" class="link" onClick={() => openCase(other.id)}>
                {other.number} · {other.title}
              </button>{' '}
              <span class="muted">{t(`state.${other.state}`)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{recent ? t('detail.noOtherCases') : t('app.loading')}</p>
      )}
      <button
        type="button"
        class="link"
        name="customer.allCases"
        onClick={() => {
          showCustomerCases(customer.id, label);
          showView('cases');
        }}
      >
        {t('customer.allCases')}
      </button>
      {pendingLeave.value && isDirty(customer) && (
        <Dialog name="unsaved-customer" title={t('customer.unsaved.title')} onClose={stayOnCase}>
          <p>{t('customer.unsaved.explain', label)}</p>
          <FormError error={errs.form} />
          <div class="actions">
            <button
              type="button"
              class="primary"
              name="unsaved.save"
              disabled={saving.value}
              onClick={() =>
                void saveEdit().then((saved) => {
                  if (saved) continueLeaving();
                  // Refused: the dialog closes on the card, where each message sits next to its field.
                  else stayOnCase();
                })
              }
            >
              {t('customer.unsaved.save')}
            </button>
            <button
              type="button"
              name="unsaved.discard"
              onClick={() => {
                discardEdit();
                continueLeaving();
              }}
            >
              {t('customer.unsaved.discard')}
            </button>
            <button type="button" name="unsaved.stay" onClick={stayOnCase}>
              {t('customer.unsaved.stay')}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
