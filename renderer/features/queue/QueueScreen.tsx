import { useT } from '../../app/station-context.js';

/** The queue screen of the clerk's desk. */
export function QueueScreen() {
  const t = useT();
  return (
    <section className="screen" aria-labelledby="queue-heading">
      <h2 id="queue-heading">{t('desk.screen.queue')}</h2>
    </section>
  );
}
