import type { ShortcutGroup } from '../../app/shortcuts.js';

/** The combos the queue screen binds; plain keys, so they never fire while the clerk types. */
export const queueCombos = {
  sendNow: 'G',
  pause: 'P',
  retry: 'T',
  filters: ['1', '2', '3', '4', '5'],
  nextRow: 'ArrowDown',
  previousRow: 'ArrowUp',
  nextPage: 'PageDown',
  previousPage: 'PageUp',
} as const;

/** The queue screen's shortcuts as the help overlay lists them; the screen binds the same combos. */
export const queueShortcuts: ShortcutGroup = {
  title: 'desk.screen.queue',
  shortcuts: [
    { keys: queueCombos.sendNow, description: 'queue.shortcut.sendNow' },
    { keys: queueCombos.pause, description: 'queue.shortcut.pause' },
    { keys: queueCombos.retry, description: 'queue.shortcut.retry' },
    { keys: '1 … 5', description: 'queue.shortcut.filter' },
    { keys: '↑ / ↓', description: 'queue.shortcut.rows' },
    { keys: 'Enter', description: 'queue.shortcut.open' },
    { keys: 'PageUp / PageDown', description: 'queue.shortcut.pages' },
  ],
};
