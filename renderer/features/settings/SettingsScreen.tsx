import { useT } from '../../app/station-context.js';

/** The settings screen of the clerk's desk. */
export function SettingsScreen() {
  const t = useT();
  return (
    <section className="screen" aria-labelledby="settings-heading">
      <h2 id="settings-heading">{t('desk.screen.settings')}</h2>
    </section>
  );
}
