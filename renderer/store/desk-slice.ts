import type { SliceGet, SliceSet } from './station-store.js';

/** The screens of the clerk's desk, in the order of the day's work. */
export const screens = ['capture', 'review', 'index', 'queue', 'search', 'settings'] as const;
export type Screen = (typeof screens)[number];

/** Which screen is shown, which document is open on it, and whether the shortcut help is open. */
export interface DeskSlice {
  screen: Screen;
  /** The document the review and index screens work on; null until one is chosen. */
  openDocumentId: string | null;
  helpOpen: boolean;
  showScreen: (screen: Screen) => void;
  /** Opens a document on the review screen (or `screen`), from the capture, queue or search screens. */
  openDocument: (documentId: string, screen?: Screen) => void;
  setHelpOpen: (open: boolean) => void;
}

/** Creates the desk slice. */
export function createDeskSlice(set: SliceSet, get: SliceGet): DeskSlice {
  return {
    screen: 'capture',
    openDocumentId: null,
    helpOpen: false,
    showScreen(screen) {
      if (get().screen !== screen) set({ screen });
    },
    openDocument(documentId, screen = 'review') {
      set({ openDocumentId: documentId, screen });
    },
    setHelpOpen(open) {
      set({ helpOpen: open });
    },
  };
}
