import { useEffect } from 'react';
import { CaptureScreen } from '../features/capture/CaptureScreen.js';
import { IndexScreen } from '../features/indexing/IndexScreen.js';
import { QueueScreen } from '../features/queue/QueueScreen.js';
import { ReviewScreen } from '../features/review/ReviewScreen.js';
import { SearchScreen } from '../features/search/SearchScreen.js';
import { SettingsScreen } from '../features/settings/SettingsScreen.js';
import type { Screen } from '../store/desk-slice.js';
import { screens } from '../store/desk-slice.js';
import { DeskNav } from './DeskNav.js';
import { helpCombos, screenCombo } from './desk-shortcuts.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { useShortcuts } from './shortcuts.js';
import './desk.css';
import { useStation, useT } from './station-context.js';

const screenComponents: Record<Screen, () => React.JSX.Element> = {
  capture: CaptureScreen,
  review: ReviewScreen,
  index: IndexScreen,
  queue: QueueScreen,
  search: SearchScreen,
  settings: SettingsScreen,
};

/** The station window: header, the desk's screens as tabs, the screen shown, and the shortcut help. */
export function App() {
  const t = useT();
  const language = useStation((state) => state.language);
  const screen = useStation((state) => state.screen);
  const showScreen = useStation((state) => state.showScreen);
  const helpOpen = useStation((state) => state.helpOpen);
  const setHelpOpen = useStation((state) => state.setHelpOpen);

  useEffect(() => {
    // Screen readers pick their voice from `lang`, and the window title names the app in the clerk's language.
    document.documentElement.lang = language;
    document.title = `${t(`desk.screen.${screen}`)} · ${t('app.title')}`;
  }, [language, screen, t]);

  const screenBindings: Record<string, () => void> = {};
  for (const item of screens) screenBindings[screenCombo(item)] = () => showScreen(item);
  useShortcuts(screenBindings);
  const helpBindings: Record<string, () => void> = {};
  for (const combo of helpCombos) helpBindings[combo] = () => setHelpOpen(!helpOpen);
  useShortcuts(helpBindings, true, { inModal: true });

  const Current = screenComponents[screen];
  return (
    <div className="app">
      <Header />
      <DeskNav />
      <main className="app-main" id="main">
        <Current />
      </main>
      <HelpOverlay />
    </div>
  );
}
