import type { ShortcutGroup } from '../../app/shortcuts.js';

/** Saves the index form; works while typing in a field (it has Ctrl). */
export const indexSaveCombo = 'Ctrl+S';
/** Saves, then finishes the document (documents:finish). */
export const indexFinishCombo = 'Ctrl+Enter';

/** The indexing screen's shortcuts as the help overlay lists them; the screen binds the same combos. */
export const indexingShortcuts: ShortcutGroup = {
  title: 'desk.screen.index',
  shortcuts: [
    { keys: indexSaveCombo, description: 'index.save' },
    { keys: indexFinishCombo, description: 'index.finish' },
  ],
};
