import { useEffect, useRef } from 'react';
import type { MessageKey } from '../i18n/i18n.js';

/**
 * A keyboard shortcut as the help overlay lists it. `keys` is a combo such as `F2`, `Ctrl+Enter`,
 * `Alt+3`, `Shift+ArrowLeft`, `Delete` or `R` (see `matchesCombo`).
 */
export interface ShortcutInfo {
  keys: string;
  description: MessageKey;
}

/** A titled group of shortcuts in the help overlay, one per screen plus the global ones. */
export interface ShortcutGroup {
  title: MessageKey;
  shortcuts: readonly ShortcutInfo[];
}

const modifierNames = new Set(['Ctrl', 'Alt', 'Shift', 'Meta']);

/** Whether a combo still does its work while the clerk types in a field (F-keys, Esc, Ctrl/Alt/Meta combos). */
export function worksWhileTyping(combo: string): boolean {
  const parts = combo.split('+');
  const key = parts[parts.length - 1] ?? '';
  return (
    /^F\d{1,2}$/.test(key) ||
    key === 'Escape' ||
    parts.some((part) => part === 'Ctrl' || part === 'Alt' || part === 'Meta')
  );
}

/**
 * Whether a key event is the combo. Letters compare case-insensitively; every modifier must match
 * exactly, so `R` does not fire on Ctrl+R nor `Ctrl+Enter` on Ctrl+Shift+Enter.
 */
export function matchesCombo(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey'>,
  combo: string,
): boolean {
  const parts = combo.split('+');
  const key = parts[parts.length - 1] ?? '';
  const modifiers = new Set(parts.slice(0, -1).filter((part) => modifierNames.has(part)));
  if (event.ctrlKey !== modifiers.has('Ctrl')) return false;
  if (event.altKey !== modifiers.has('Alt')) return false;
  if (event.metaKey !== modifiers.has('Meta')) return false;
  // Shift is part of the character for `?`, `+` and the like; it must match only when named or for letters/arrows.
  const shiftMatters = modifiers.has('Shift') || key.length > 1 || /^[a-z]$/i.test(key);
  if (shiftMatters && event.shiftKey !== modifiers.has('Shift')) return false;
  return event.key.length === 1 && key.length === 1 ? event.key.toLowerCase() === key.toLowerCase() : event.key === key;
}

/** Whether the event comes from a place where keys are text: fields, editable regions, an IME composing a word. */
export function isTypingEvent(event: KeyboardEvent): boolean {
  if (event.isComposing || event.key === 'Process' || event.keyCode === 229) return true;
  const target = event.target;
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
  }
  return false;
}

/** Whether a modal dialog (the shortcut help, a confirmation) is open: the screen behind it must not act. */
export function isModalOpen(): boolean {
  // The desk opens its dialogs with showModal() only, so an open dialog is a modal one.
  return document.querySelector('dialog[open]') !== null;
}

/** Decides whether a combo may fire for this event: never a plain key while the clerk types (Telex and VNI are plain keys). */
export function shouldFire(event: KeyboardEvent, combo: string, options: { inModal?: boolean } = {}): boolean {
  if (!matchesCombo(event, combo)) return false;
  if (isTypingEvent(event) && !worksWhileTyping(combo)) return false;
  // While a modal dialog is open only that dialog's own keys count, and those bound for it.
  if (options.inModal !== true && isModalOpen()) return false;
  return true;
}

/**
 * Binds combos to actions window-wide while the component is mounted and `enabled`.
 *
 * Plain keys (letters, digits, Delete, arrows) are ignored in text fields and during IME
 * composition, so typing "Quyeets ddinhj" with Telex or "Quye61t d9i5nh" with VNI types text and
 * never rotates, deletes or sends anything. While a modal dialog is open, only bindings made with
 * `inModal` fire (the help's own F1).
 */
export function useShortcuts(
  bindings: Readonly<Record<string, (event: KeyboardEvent) => void>>,
  enabled = true,
  options: { inModal?: boolean } = {},
): void {
  const inModal = options.inModal === true;
  const latest = useRef(bindings);
  useEffect(() => {
    latest.current = bindings;
  });
  useEffect(() => {
    if (!enabled) return;
    function onKeyDown(event: KeyboardEvent): void {
      if (event.defaultPrevented) return;
      for (const [combo, action] of Object.entries(latest.current)) {
        if (shouldFire(event, combo, { inModal })) {
          event.preventDefault();
          action(event);
          return;
        }
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled, inModal]);
}
