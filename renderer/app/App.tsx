import { useEffect } from 'react';
import { CaptureScreen } from '../features/capture/CaptureScreen.js';
import { Header } from './Header.js';
import { useStation, useT } from './station-context.js';

/** The station window: header and the capture screen (the clerk desk adds its screens here). */
export function App() {
  const t = useT();
  const language = useStation((state) => state.language);

  useEffect(() => {
    // Screen readers pick their voice from `lang`, and the window title names the app in the clerk's language.
    document.documentElement.lang = language;
    document.title = t('app.title');
  }, [language, t]);

  return (
    <div className="app">
      <Header />
      <main className="app-main" id="main">
        <CaptureScreen />
      </main>
    </div>
  );
}
