import type { ShortcutGroup } from '../../app/shortcuts.js';

/** The settings screen's shortcuts as the help overlay lists them; the screen binds the same combos. */
export const settingsShortcuts: ShortcutGroup = { title: 'desk.screen.settings', shortcuts: [] };
