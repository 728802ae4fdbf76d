import type { Language } from '../../shared/settings.js';
import { isLanguageLocked } from '../store/app-slice.js';
import { useStation, useT } from './station-context.js';

const languages: readonly Language[] = ['vi', 'en'];

/** Two toggle buttons for the UI language; disabled when IT's policy locks it. */
export function LanguageSwitch() {
  const t = useT();
  const language = useStation((state) => state.language);
  const locked = useStation((state) => isLanguageLocked(state.settings));
  const setLanguage = useStation((state) => state.setLanguage);

  return (
    <div
      className="language-switch"
      role="group"
      aria-label={t('language.label')}
      title={locked ? t('language.locked') : undefined}
    >
      {languages.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          className="language-option"
          aria-pressed={option === language}
          disabled={locked}
          onClick={() => void setLanguage(option)}
        >
          {t(`language.${option}`)}
        </button>
      ))}
    </div>
  );
}
