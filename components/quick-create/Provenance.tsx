import { t } from '../../lib/i18n/t';
import { REMEMBERED } from '../../lib/constants';
import { siteHost } from '../shell/site-signals';
import { draft } from './form-state';

type Path = 'title' | 'customer.name' | 'customer.email' | 'customer.phone' | 'customer.company' | 'origin' | 'description' | 'product' | 'priority';

/**
 * "from the Gmail message": where a filled field's value came from, shown
 * while the field still holds that value (lib/panel/fill.ts records it);
 * "remembered for mail.google.com" for a site's remembered default
 * (lib/panel/site-defaults.ts).
 */
export function Provenance(props: { path: Path }) {
  const d = draft.value;
  const entry = d.provenance?.[props.path];
  const current = props.path.startsWith('customer.') ? d.customer[props.path.slice(9) as 'name'] : d[props.path as 'title'];
  if (!entry || entry.value !== current) return null;
  return (
    <p class="field__hint provenance" data-provenance-for={props.path} data-from={entry.from}>
      {entry.from === REMEMBERED ? t('form.remembered', siteHost.value ?? '') : t(`capture.from.${entry.from}`)}
    </p>
  );
}
