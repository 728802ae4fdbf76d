import type { ShortcutGroup } from '../../app/shortcuts.js';

/** The search screen's shortcuts as the help overlay lists them; the screen binds the same combos. */
export const searchShortcuts: ShortcutGroup = { title: 'desk.screen.search', shortcuts: [] };
