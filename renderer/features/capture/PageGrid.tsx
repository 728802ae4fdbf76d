import { useEffect, useRef } from 'react';
import { useStation, useT } from '../../app/station-context.js';
import { PageThumbnail } from './PageThumbnail.js';

/** The pages of the current batch in order, growing live as the scanner delivers them. */
export function PageGrid() {
  const t = useT();
  const pages = useStation((state) => state.pages);
  const lastRef = useRef<HTMLLIElement>(null);

  useEffect(() => {
    // Keep the newest page in sight during a long ADF run; jsdom has no scrollIntoView.
    lastRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [pages.length]);

  return (
    <section className="card" aria-labelledby="pages-heading">
      <h2 id="pages-heading" className="card-title">
        {t('capture.pages')}
        {pages.length > 0 && <span className="count-badge">{pages.length}</span>}
      </h2>
      {pages.length === 0 ? (
        <p className="empty">{t('capture.pages.empty')}</p>
      ) : (
        // Focusable so a keyboard user can scroll a long batch (the list scrolls on its own).
        <ol className="page-grid" tabIndex={0} aria-labelledby="pages-heading">
          {pages.map((page, position) => (
            <li key={page.id} ref={position === pages.length - 1 ? lastRef : undefined}>
              <PageThumbnail pageId={page.id} number={position + 1} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
