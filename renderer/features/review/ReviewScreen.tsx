import { useT } from '../../app/station-context.js';

/** The review screen of the clerk's desk. */
export function ReviewScreen() {
  const t = useT();
  return (
    <section className="screen" aria-labelledby="review-heading">
      <h2 id="review-heading">{t('desk.screen.review')}</h2>
    </section>
  );
}
