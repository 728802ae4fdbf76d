import type { ShortcutGroup } from '../../app/shortcuts.js';

/** The indexing screen's shortcuts as the help overlay lists them; the screen binds the same combos. */
export const indexingShortcuts: ShortcutGroup = { title: 'desk.screen.index', shortcuts: [] };
