import { describe, expect, it } from 'vitest';
import { matchShortcut, type KeyPress } from '../../../lib/panel/shortcuts';

const press = (patch: Partial<KeyPress>): KeyPress => ({ key: '', code: '', altKey: false, ctrlKey: false, metaKey: false, ...patch });

describe('panel shortcuts', () => {
  it('opens the help on ? and focuses the search on /, but not while the agent types', () => {
    expect(matchShortcut(press({ key: '?', code: 'Slash' }), false)).toBe('help');
    expect(matchShortcut(press({ key: '/', code: 'Slash' }), false)).toBe('search');
    expect(matchShortcut(press({ key: '?', code: 'Slash' }), true)).toBeUndefined();
    expect(matchShortcut(press({ key: '/', code: 'Slash' }), true)).toBeUndefined();
  });

  it('takes Alt+letter by its key position, also in a field and on a Mac keyboard', () => {
    expect(matchShortcut(press({ key: '˜', code: 'KeyN', altKey: true }), true)).toBe('new');
    expect(matchShortcut(press({ key: 'l', code: 'KeyL', altKey: true }), false)).toBe('cases');
    expect(matchShortcut(press({ key: 'i', code: 'KeyI', altKey: true }), true)).toBe('inbox');
    expect(matchShortcut(press({ key: 'c', code: 'KeyC', altKey: true }), true)).toBe('capture');
    // Plain letters are text, and Ctrl/Cmd combinations belong to the browser.
    expect(matchShortcut(press({ key: 'n', code: 'KeyN' }), false)).toBeUndefined();
    expect(matchShortcut(press({ key: 'c', code: 'KeyC', altKey: true, ctrlKey: true }), false)).toBeUndefined();
  });
});
