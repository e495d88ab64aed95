import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import type { Customer } from '../../lib/schema';
import { t } from '../../lib/i18n/t';
import { DRAFT_CAPS } from '../../lib/drafts';
import { draft, errors, setFieldError, updateCustomer } from './form-state';
import { Field, describedBy } from '../shell/Field';
import { Provenance } from './Provenance';

type CustomerField = 'name' | 'email' | 'phone' | 'company';
const FIELDS: ReadonlyArray<{ field: CustomerField; type: string; autocomplete: string }> = [
  { field: 'name', type: 'text', autocomplete: 'off' },
  { field: 'email', type: 'email', autocomplete: 'off' },
  { field: 'phone', type: 'tel', autocomplete: 'off' },
  { field: 'company', type: 'text', autocomplete: 'off' },
];
const SUGGEST_DELAY_MS = 120;

/**
 * The customer block: typing in name, email or phone suggests stored
 * customers (one index look-up, loaded lazily so the form paints first);
 * picking one fills all four fields and links the case to that customer.
 */
export function CustomerFields() {
  const suggestions = useSignal<Customer[]>([]);
  const openFor = useSignal<CustomerField | undefined>(undefined);
  const active = useSignal(-1);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const requestId = useRef(0);
  const customer = draft.value.customer;

  const close = () => {
    openFor.value = undefined;
    suggestions.value = [];
    active.value = -1;
  };

  const suggest = (field: CustomerField, query: string) => {
    clearTimeout(timer.current);
    if (field === 'company' || query.trim().length < 2) return close();
    const id = ++requestId.current;
    timer.current = setTimeout(async () => {
      const { suggestCustomers } = await import('../../lib/customers/suggest');
      const found = await suggestCustomers(query);
      if (id !== requestId.current) return; // a newer keystroke won
      suggestions.value = found;
      openFor.value = found.length > 0 ? field : undefined;
      active.value = -1;
    }, SUGGEST_DELAY_MS);
  };

  const pick = (picked: Customer) => {
    updateCustomer({
      id: picked.id,
      name: picked.name,
      email: picked.emails[0] ?? '',
      phone: picked.phones[0] ?? '',
      company: picked.company,
    });
    for (const field of ['name', 'email', 'phone', 'company']) setFieldError(`customer.${field}`, undefined);
    close();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const list = suggestions.value;
    if (!openFor.value || list.length === 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      active.value = (active.value + step + list.length) % list.length;
    } else if (event.key === 'Enter' && active.value >= 0 && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      const chosen = list[active.value];
      if (chosen) pick(chosen);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  };

  return (
    <fieldset class="customer">
      <legend>{t('form.customer.legend')}</legend>
      {customer.id && (
        <p class="customer__linked" role="status">
          {t('form.customer.linked')}{' '}
          <button type="button" class="link" onClick={() => updateCustomer({ id: undefined })}>
            {t('form.customer.unlink')}
          </button>
        </p>
      )}
      {/* Two to a row where the width allows (styles.css: auto-fit), one per row in a narrow panel. */}
      <div class="customer__grid">
        {FIELDS.map(({ field, type, autocomplete }) => {
          const id = `qc-customer-${field}`;
          const path = `customer.${field}`;
          const error = errors.value[path];
          const expanded = openFor.value === field;
          return (
            <Field key={field} id={id} label={t(`form.customer.${field}.label`)} error={error} class="customer__field">
              <input
                id={id}
                name={path}
                type={type}
                autocomplete={autocomplete}
                value={customer[field]}
                maxLength={DRAFT_CAPS.text}
                role={field === 'company' ? undefined : 'combobox'}
                aria-autocomplete={field === 'company' ? undefined : 'list'}
                aria-expanded={field === 'company' ? undefined : expanded}
                aria-controls={expanded ? `${id}-suggestions` : undefined}
                aria-activedescendant={expanded && active.value >= 0 ? `${id}-option-${active.value}` : undefined}
                onInput={(e) => {
                  const value = e.currentTarget.value;
                  updateCustomer({ [field]: value });
                  if (error) setFieldError(path, undefined);
                  suggest(field, value);
                }}
                onKeyDown={onKeyDown}
                onBlur={() => setTimeout(() => openFor.value === field && close(), 150)}
                {...describedBy(id, error)}
              />
              {expanded && (
                <ul class="suggestions" id={`${id}-suggestions`} role="listbox" aria-label={t('form.customer.suggestions')}>
                  {suggestions.value.map((s, index) => (
                    <li
                      key={s.id}
                      id={`${id}-option-${index}`}
                      role="option"
                      aria-selected={index === active.value}
                      class="suggestion"
                      onMouseDown={(e) => e.preventDefault()}
                      onClick={() => pick(s)}
                    >
                      <span class="suggestion__name">{s.name || s.company || s.emails[0]}</span>
                      <span class="suggestion__detail">{[s.emails[0], s.phones[0], s.company].filter(Boolean).join(' · ')}</span>
                    </li>
                  ))}
                </ul>
              )}
              <Provenance path={path as 'customer.name'} />
            </Field>
          );
        })}
      </div>
    </fieldset>
  );
}
