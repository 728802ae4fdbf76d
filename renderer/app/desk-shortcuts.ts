import { captureShortcuts } from '../features/capture/capture-shortcuts.js';
import { indexingShortcuts } from '../features/indexing/indexing-shortcuts.js';
import { queueShortcuts } from '../features/queue/queue-shortcuts.js';
import { reviewShortcuts } from '../features/review/review-shortcuts.js';
import { searchShortcuts } from '../features/search/search-shortcuts.js';
import { settingsShortcuts } from '../features/settings/settings-shortcuts.js';
import type { Screen } from '../store/desk-slice.js';
import { screens } from '../store/desk-slice.js';
import type { ShortcutGroup } from './shortcuts.js';

/** The combo that shows each screen: Alt+1 … Alt+6, in the order of the navigation. */
export function screenCombo(screen: Screen): string {
  return `Alt+${screens.indexOf(screen) + 1}`;
}

export const helpCombos = ['F1', 'Shift+?'] as const;

/** Every shortcut of the desk, grouped as the help overlay shows them. */
export const shortcutGroups: readonly ShortcutGroup[] = [
  {
    title: 'desk.help.global',
    shortcuts: [
      { keys: 'Alt+1 … Alt+6', description: 'desk.shortcut.screen' },
      { keys: 'F1', description: 'desk.shortcut.help' },
    ],
  },
  captureShortcuts,
  reviewShortcuts,
  indexingShortcuts,
  queueShortcuts,
  searchShortcuts,
  settingsShortcuts,
];
