/**
 * The panel's keyboard shortcuts, in one list: the help dialog (`?`) shows
 * this list, and the panel's key handler asks matchShortcut which one a key
 * press is. Keys are matched by `code`, not `key`: on a Mac, Alt+N types "˜".
 *
 * Single keys (`?`, `/`) act only when the agent is not typing in a field;
 * Alt+letter act anywhere, as the desks' do. Save (Ctrl/Cmd+Enter) belongs to
 * the form, which handles it; it is listed here so the help shows it.
 */
export const SHORTCUTS = [
  { id: 'new', keys: ['Alt', 'N'], code: 'KeyN', alt: true },
  { id: 'cases', keys: ['Alt', 'L'], code: 'KeyL', alt: true },
  { id: 'inbox', keys: ['Alt', 'I'], code: 'KeyI', alt: true },
  { id: 'capture', keys: ['Alt', 'C'], code: 'KeyC', alt: true },
  { id: 'search', keys: ['/'], key: '/' },
  { id: 'save', keys: ['Ctrl', 'Enter'], form: true },
  { id: 'help', keys: ['?'], key: '?' },
] as const;
export type ShortcutId = (typeof SHORTCUTS)[number]['id'];

export interface KeyPress {
  key: string;
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

/** The panel-wide shortcut a key press means, if any. `typing`: the focus is in a text field. */
export function matchShortcut(press: KeyPress, typing: boolean): ShortcutId | undefined {
  if (press.ctrlKey || press.metaKey) return undefined;
  for (const shortcut of SHORTCUTS) {
    if ('form' in shortcut) continue;
    if ('alt' in shortcut) {
      if (press.altKey && press.code === shortcut.code) return shortcut.id;
    } else if (!press.altKey && !typing && press.key === shortcut.key) return shortcut.id;
  }
  return undefined;
}
