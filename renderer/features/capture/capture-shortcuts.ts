import type { ShortcutGroup } from '../../app/shortcuts.js';

/** The capture screen's shortcuts as the help overlay lists them (bound in use-scan-shortcuts.ts). */
export const captureShortcuts: ShortcutGroup = {
  title: 'desk.screen.capture',
  shortcuts: [
    { keys: 'F2 / Ctrl+Enter', description: 'capture.scan' },
    { keys: 'Esc', description: 'capture.stop' },
  ],
};
