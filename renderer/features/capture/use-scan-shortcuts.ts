import { useEffect, useRef } from 'react';

/** What the capture shortcuts do. */
export interface ScanShortcuts {
  onScan(): void;
  onStop(): void;
}

/**
 * Binds F2 and Ctrl+Enter to scanning and Esc to stopping, window-wide.
 *
 * Window-wide because a clerk's hands are on the paper, not on the focus: the
 * keys must work whatever control last had it.
 */
export function useScanShortcuts(shortcuts: ScanShortcuts): void {
  const latest = useRef(shortcuts);
  useEffect(() => {
    latest.current = shortcuts;
  });

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent): void {
      if (event.key === 'F2' || (event.key === 'Enter' && (event.ctrlKey || event.metaKey))) {
        event.preventDefault();
        latest.current.onScan();
      } else if (event.key === 'Escape') {
        latest.current.onStop();
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
