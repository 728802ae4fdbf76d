import { useStation, useT } from '../../app/station-context.js';

/** One page preview, named "Trang N" for screen readers and tests. */
export function PageThumbnail(props: { pageId: string; number: number }) {
  const { pageId, number } = props;
  const t = useT();
  const thumbnail = useStation((state) => state.thumbnails[pageId]);
  const loadThumbnail = useStation((state) => state.loadThumbnail);
  const label = t('capture.page', { number });

  return (
    <figure className="page-thumb">
      <div className="page-thumb-frame">
        {thumbnail?.state === 'ready' ? (
          <img className="page-thumb-image" src={thumbnail.src} alt={label} decoding="async" draggable={false} />
        ) : thumbnail?.state === 'failed' ? (
          <button type="button" className="page-thumb-retry" onClick={() => void loadThumbnail(pageId)}>
            {t('capture.page.failed', { number })}
          </button>
        ) : (
          <span className="page-thumb-loading" role="progressbar" aria-label={t('capture.page.loading', { number })} />
        )}
      </div>
      <figcaption className="page-thumb-caption">{label}</figcaption>
    </figure>
  );
}
