import { useT } from '../../app/station-context.js';

/** The search screen of the clerk's desk. */
export function SearchScreen() {
  const t = useT();
  return (
    <section className="screen" aria-labelledby="search-heading">
      <h2 id="search-heading">{t('desk.screen.search')}</h2>
    </section>
  );
}
