import type { Screen } from '../store/desk-slice.js';
import { screens } from '../store/desk-slice.js';
import { screenCombo } from './desk-shortcuts.js';
import { useStation, useT } from './station-context.js';

/** The desk's screens as tabs; each also answers to Alt+N. */
export function DeskNav() {
  const t = useT();
  const screen = useStation((state) => state.screen);
  const showScreen = useStation((state) => state.showScreen);
  const setHelpOpen = useStation((state) => state.setHelpOpen);

  return (
    <nav className="desk-nav" aria-label={t('nav.label')}>
      <ul className="desk-nav-list">
        {screens.map((item: Screen) => (
          <li key={item}>
            <button
              type="button"
              className={item === screen ? 'desk-nav-tab desk-nav-tab-current' : 'desk-nav-tab'}
              aria-current={item === screen ? 'page' : undefined}
              aria-keyshortcuts={screenCombo(item)}
              onClick={() => showScreen(item)}
            >
              {t(`desk.screen.${item}`)}
              <kbd className="desk-nav-key">{screenCombo(item)}</kbd>
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="button button-quiet desk-nav-help" onClick={() => setHelpOpen(true)}>
        {t('desk.help.open')}
      </button>
    </nav>
  );
}
