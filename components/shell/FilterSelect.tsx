import { t } from '../../lib/i18n/t';

/**
 * One filter of a list (the case list's view bar, a case's attachments): a
 * labelled select whose first choice, "Any", clears the filter.
 */
export function FilterSelect<V extends string>(props: {
  id: string;
  name: string;
  label: string;
  value: V | '' | undefined;
  options: readonly V[];
  optionLabel: (value: V) => string;
  onChange: (value: V | '') => void;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.name} value={props.value ?? ''} onChange={(event) => props.onChange(event.currentTarget.value as V | '')}>
        <option value="">{t('list.filters.any')}</option>
        {props.options.map((option) => (
          <option key={option} value={option}>
            {props.optionLabel(option)}
          </option>
        ))}
      </select>
    </div>
  );
}
