import { Fragment } from 'preact';
import { SHORTCUTS } from '../../lib/panel/shortcuts';
import { t } from '../../lib/i18n/t';
import { Dialog } from './Dialog';
import { helpOpen } from './keyboard';

const isMac = /Mac|iPhone|iPad/.test(navigator.platform);

/** The list of shortcuts, opened with `?` or the header's button. */
export function ShortcutsHelp() {
  if (!helpOpen.value) return null;
  const close = () => (helpOpen.value = false);
  return (
    <Dialog name="shortcuts" title={t('shortcuts.title')} onClose={close}>
      <dl class="shortcuts">
        {SHORTCUTS.map((shortcut) => (
          <Fragment key={shortcut.id}>
            <dt>
              {shortcut.keys.map((key, index) => (
                <Fragment key={key}>
                  {index > 0 && '+'}
                  <kbd>{key === 'Ctrl' && isMac ? '⌘' : key === 'Alt' && isMac ? '⌥' : key}</kbd>
                </Fragment>
              ))}
            </dt>
            <dd>{t(`shortcuts.${shortcut.id}`)}</dd>
          </Fragment>
        ))}
        <dt>
          <kbd>↑</kbd> <kbd>↓</kbd> <kbd>Enter</kbd>
        </dt>
        <dd>{t('shortcuts.list')}</dd>
        <dt>
          <kbd>Esc</kbd>
        </dt>
        <dd>{t('shortcuts.escape')}</dd>
      </dl>
      <div class="actions">
        <button type="button" name="dismiss" onClick={close}>
          {t('dialog.close')}
        </button>
      </div>
    </Dialog>
  );
}
