import { t } from '../../lib/i18n/t';
import { openCase, view } from './panel-state';
import { sourceCase } from './site-signals';

/**
 * "CAS-000123-K7Q2 was created from this page", at the top of the New view,
 * with a button that opens it: said before the agent makes a second case
 * from the same mail, chat or page.
 */
export function SourceCaseBanner() {
  const found = sourceCase.value;
  if (!found || view.value.name !== 'new') return null;
  return (
    <div class="source-case" role="status" data-source-case={found.number}>
      <p class="source-case__text">{t('panel.sourceCase.text', found.number)}</p>
      <button type="button" name="open-source-case" onClick={() => openCase(found.id)}>
        {t('panel.sourceCase.open')}
      </button>
    </div>
  );
}
