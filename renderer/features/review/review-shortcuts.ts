import type { ShortcutGroup } from '../../app/shortcuts.js';

/** The review screen's shortcuts as the help overlay lists them; the screen binds the same combos. */
export const reviewShortcuts: ShortcutGroup = { title: 'desk.screen.review', shortcuts: [] };
