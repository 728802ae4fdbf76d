import type { ShortcutGroup } from '../../app/shortcuts.js';

/**
 * The combos of the review screen, bound by ReviewScreen (useShortcuts) and listed in the help.
 *
 * Plain keys only act outside text fields; Enter acts on the page grid itself (so that Enter on a
 * button still presses that button).
 */
export const reviewCombos = {
  previous: 'ArrowLeft',
  next: 'ArrowRight',
  up: 'ArrowUp',
  down: 'ArrowDown',
  first: 'Home',
  last: 'End',
  pageUp: 'PageUp',
  pageDown: 'PageDown',
  moveEarlier: 'Alt+ArrowLeft',
  moveLater: 'Alt+ArrowRight',
  moveUp: 'Alt+ArrowUp',
  moveDown: 'Alt+ArrowDown',
  rotateRight: 'R',
  rotateLeft: 'Shift+R',
  remove: 'Delete',
  zoomIn: '+',
  zoomInPlain: '=',
  zoomOut: '-',
  zoomFit: '0',
  zoomActual: '1',
  split: 'S',
  merge: 'M',
  blank: 'B',
  captureAgain: 'C',
  insert: 'Insert',
  original: 'O',
  compare: 'V',
  ocr: 'T',
  reread: 'Shift+T',
  shrink: 'Escape',
  toIndex: 'Ctrl+Enter',
  previousDocument: '[',
  nextDocument: ']',
} as const;

/** The review screen's shortcuts as the help overlay lists them. */
export const reviewShortcuts: ShortcutGroup = {
  title: 'desk.screen.review',
  shortcuts: [
    { keys: '← → ↑ ↓', description: 'review.shortcut.select' },
    { keys: 'Home / End', description: 'review.shortcut.firstLast' },
    { keys: 'Alt+← / Alt+→', description: 'review.shortcut.move' },
    { keys: 'Enter', description: 'review.shortcut.enlarge' },
    { keys: 'R', description: 'review.shortcut.rotateRight' },
    { keys: 'Shift+R', description: 'review.shortcut.rotateLeft' },
    { keys: 'Delete', description: 'review.shortcut.remove' },
    { keys: '+ / −', description: 'review.shortcut.zoom' },
    { keys: '0 / 1', description: 'review.shortcut.zoomFit' },
    { keys: 'O', description: 'review.shortcut.original' },
    { keys: 'V', description: 'review.shortcut.compare' },
    { keys: 'T', description: 'review.shortcut.ocr' },
    { keys: 'Shift+T', description: 'review.shortcut.reread' },
    { keys: 'B', description: 'review.shortcut.blank' },
    { keys: 'C', description: 'review.shortcut.captureAgain' },
    { keys: 'Insert', description: 'review.shortcut.insert' },
    { keys: 'S', description: 'review.shortcut.split' },
    { keys: 'M', description: 'review.shortcut.merge' },
    { keys: '[ / ]', description: 'review.shortcut.documents' },
    { keys: 'Ctrl+Enter', description: 'review.shortcut.toIndex' },
  ],
};
