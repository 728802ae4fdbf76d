import type { ShortcutGroup } from '../../app/shortcuts.js';

/** Saves the changed settings; works while typing in a field (it has Ctrl). */
export const settingsSaveCombo = 'Ctrl+S';

/** The settings screen's shortcuts as the help overlay lists them; the screen binds the same combos. */
export const settingsShortcuts: ShortcutGroup = {
  title: 'desk.screen.settings',
  shortcuts: [{ keys: settingsSaveCombo, description: 'settings.save' }],
};
