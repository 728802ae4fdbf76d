import type { ShortcutGroup } from '../../app/shortcuts.js';

/** The combos the search screen binds; `/` is a plain key, so typing it in the box stays text. */
export const searchCombos = {
  focus: ['Ctrl+F', '/'],
  nextResult: 'ArrowDown',
  previousResult: 'ArrowUp',
} as const;

/** The search screen's shortcuts as the help overlay lists them; the screen binds the same combos. */
export const searchShortcuts: ShortcutGroup = {
  title: 'desk.screen.search',
  shortcuts: [
    { keys: 'Ctrl+F / /', description: 'search.shortcut.focus' },
    { keys: '↑ / ↓', description: 'search.shortcut.results' },
    { keys: 'Enter', description: 'search.shortcut.open' },
  ],
};
