import type { ShortcutGroup } from '../../app/shortcuts.js';

/** The queue screen's shortcuts as the help overlay lists them; the screen binds the same combos. */
export const queueShortcuts: ShortcutGroup = { title: 'desk.screen.queue', shortcuts: [] };
