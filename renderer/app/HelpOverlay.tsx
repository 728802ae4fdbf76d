import { useEffect, useRef } from 'react';
import { screens } from '../store/desk-slice.js';
import { screenCombo, shortcutGroups } from './desk-shortcuts.js';
import { useStation, useT } from './station-context.js';

/** The list of every shortcut, opened with F1 (or ?), closed with Esc; a modal dialog that keeps focus. */
export function HelpOverlay() {
  const t = useT();
  const open = useStation((state) => state.helpOpen);
  const setHelpOpen = useStation((state) => state.setHelpOpen);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  return (
    <dialog
      ref={dialog}
      className="help-overlay"
      aria-labelledby="help-title"
      onClose={() => setHelpOpen(false)}
      onCancel={() => setHelpOpen(false)}
    >
      <div className="help-overlay-head">
        <h2 id="help-title">{t('desk.help.title')}</h2>
        <button type="button" className="button button-quiet" onClick={() => setHelpOpen(false)} autoFocus>
          {t('desk.help.close')}
        </button>
      </div>
      <p className="help-overlay-note">{t('desk.help.note')}</p>
      <div className="help-overlay-groups">
        <section className="help-group">
          <h3>{t('desk.help.global')}</h3>
          <dl>
            {screens.map((screen) => (
              <div key={screen} className="help-row">
                <dt>
                  <kbd>{screenCombo(screen)}</kbd>
                </dt>
                <dd>{t('desk.shortcut.screen', { name: t(`desk.screen.${screen}`) })}</dd>
              </div>
            ))}
            <div className="help-row">
              <dt>
                <kbd>F1</kbd>
              </dt>
              <dd>{t('desk.shortcut.help')}</dd>
            </div>
          </dl>
        </section>
        {shortcutGroups.slice(1).map((group) =>
          group.shortcuts.length === 0 ? null : (
            <section key={group.title} className="help-group">
              <h3>{t(group.title)}</h3>
              <dl>
                {group.shortcuts.map((shortcut) => (
                  <div key={shortcut.keys} className="help-row">
                    <dt>
                      <kbd>{shortcut.keys}</kbd>
                    </dt>
                    <dd>{t(shortcut.description)}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ),
        )}
      </div>
    </dialog>
  );
}
