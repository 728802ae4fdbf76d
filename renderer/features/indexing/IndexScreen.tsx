import { useT } from '../../app/station-context.js';

/** The index screen of the clerk's desk. */
export function IndexScreen() {
  const t = useT();
  return (
    <section className="screen" aria-labelledby="index-heading">
      <h2 id="index-heading">{t('desk.screen.index')}</h2>
    </section>
  );
}
