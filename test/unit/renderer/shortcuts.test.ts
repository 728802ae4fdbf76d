// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { isTypingEvent, matchesCombo, shouldFire, worksWhileTyping } from '../../../renderer/app/shortcuts.js';

function key(init: KeyboardEventInit, target: EventTarget = document.body): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
  Object.defineProperty(event, 'target', { value: target });
  return event;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('matchesCombo', () => {
  it('needs every modifier exactly', () => {
    expect(matchesCombo(key({ key: 'r' }), 'R')).toBe(true);
    expect(matchesCombo(key({ key: 'r', ctrlKey: true }), 'R')).toBe(false);
    expect(matchesCombo(key({ key: 'R', shiftKey: true }), 'Shift+R')).toBe(true);
    expect(matchesCombo(key({ key: 'R', shiftKey: true }), 'R')).toBe(false);
    expect(matchesCombo(key({ key: 'Enter', ctrlKey: true }), 'Ctrl+Enter')).toBe(true);
    expect(matchesCombo(key({ key: 'Enter', ctrlKey: true, shiftKey: true }), 'Ctrl+Enter')).toBe(false);
    expect(matchesCombo(key({ key: '2', altKey: true }), 'Alt+2')).toBe(true);
    expect(matchesCombo(key({ key: '?', shiftKey: true }), 'Shift+?')).toBe(true);
  });

  it('knows which combos act while the clerk types', () => {
    expect(worksWhileTyping('F2')).toBe(true);
    expect(worksWhileTyping('Ctrl+S')).toBe(true);
    expect(worksWhileTyping('Escape')).toBe(true);
    expect(worksWhileTyping('R')).toBe(false);
    expect(worksWhileTyping('Delete')).toBe(false);
    expect(worksWhileTyping('Shift+?')).toBe(false);
  });
});

describe('typing Vietnamese never triggers a shortcut', () => {
  const plainCombos = ['R', 'Shift+R', 'S', 'D', 'J', 'Delete', 'Backspace', '1', '6', 'Shift+?', 'ArrowLeft'];

  it('ignores every plain-key shortcut for Telex "Quyeets ddinhj" and VNI "Quye61t d9i5nh" typed in a field', () => {
    document.body.innerHTML = '<input id="field" type="text" /><textarea id="area"></textarea>';
    for (const id of ['field', 'area']) {
      const field = document.getElementById(id);
      if (field === null) throw new Error('no field');
      for (const character of [...'Quyeets ddinhj', ...'Quye61t d9i5nh']) {
        const event = key({ key: character, shiftKey: character !== character.toLowerCase() }, field);
        expect(isTypingEvent(event)).toBe(true);
        for (const combo of plainCombos) expect(shouldFire(event, combo), `${character} fired ${combo}`).toBe(false);
      }
      expect(shouldFire(key({ key: 'Backspace' }, field), 'Backspace')).toBe(false);
    }
  });

  it('ignores keys while an input method composes, even outside a field', () => {
    const composing = key({ key: 'Process' });
    expect(isTypingEvent(composing)).toBe(true);
    expect(shouldFire(key({ key: 'r', isComposing: true }), 'R')).toBe(false);
  });

  it('lets Ctrl, Alt and F-key combos act from a field, and plain keys outside one', () => {
    document.body.innerHTML = '<input id="field" type="text" /><button id="button">x</button>';
    const field = document.getElementById('field') as HTMLElement;
    expect(shouldFire(key({ key: 's', ctrlKey: true }, field), 'Ctrl+S')).toBe(true);
    expect(shouldFire(key({ key: '3', altKey: true }, field), 'Alt+3')).toBe(true);
    expect(shouldFire(key({ key: 'F1' }, field), 'F1')).toBe(true);
    const button = document.getElementById('button') as HTMLElement;
    expect(shouldFire(key({ key: 'r' }, button), 'R')).toBe(true);
    const checkbox = document.createElement('input');
    checkbox.type = 'checkbox';
    expect(shouldFire(key({ key: 'Delete' }, checkbox), 'Delete')).toBe(true);
  });

  it('keeps the screen behind an open dialog still, except bindings made for the dialog', () => {
    document.body.innerHTML = '<dialog open><button>Đóng</button></dialog>';
    expect(shouldFire(key({ key: 'g' }), 'G')).toBe(false);
    expect(shouldFire(key({ key: '4', altKey: true }), 'Alt+4')).toBe(false);
    expect(shouldFire(key({ key: 'F1' }), 'F1', { inModal: true })).toBe(true);
  });
});
