import { useEffect, useRef } from 'react';
import { useStation, useT } from '../../app/station-context.js';
import type { DocumentPage } from '../../../shared/domain.js';
import type { ImageVariant, ViewerMode, Zoom } from '../../store/review-slice.js';
import { imageKey } from '../../store/review-slice.js';
import { OcrOverlay } from './OcrOverlay.js';
import { useElementSize } from './virtual-grid.js';

const viewerFallbackSize = { width: 640, height: 720 };
/** Image sizes asked of the engine, so zooming reuses a few fetched images instead of one per step. */
const sizeBuckets = [1600, 3200, 6400, 8000] as const;

/** The longer side in pixels to fetch for a zoom (fit uses the smallest). */
export function imageSizeFor(zoom: Zoom, page: Pick<DocumentPage, 'widthPx' | 'heightPx'>, pixelRatio = 1): number {
  if (zoom === 'fit') return sizeBuckets[0];
  const wanted = Math.max(page.widthPx, page.heightPx) * zoom * pixelRatio;
  return sizeBuckets.find((bucket) => bucket >= wanted) ?? 8000;
}

/** The scale at which the page (longer side `long` pixels, shape of `image`) fits a frame. */
export function fitScale(
  frame: { width: number; height: number },
  page: Pick<DocumentPage, 'widthPx' | 'heightPx'>,
  aspect: number,
): number {
  const long = Math.max(page.widthPx, page.heightPx);
  const width = aspect >= 1 ? long : long * aspect;
  const height = aspect >= 1 ? long / aspect : long;
  return Math.max(0.01, Math.min(frame.width / width, frame.height / height));
}

export interface PageViewerProps {
  page: DocumentPage | null;
  number: number;
  total: number;
  /** The scale "fit" stands for now, reported for the zoom keys. */
  onFitScale: (scale: number) => void;
}

/** The selected page, large: after clean-up, as captured, both side by side, or with doubtful OCR words marked. */
export function PageViewer(props: PageViewerProps) {
  const { page } = props;
  const t = useT();
  const mode = useStation((state) => state.reviewMode);
  const zoom = useStation((state) => state.reviewZoom);
  const frame = useRef<HTMLDivElement>(null);
  const size = useElementSize(frame, viewerFallbackSize);

  if (page === null) {
    return (
      <div className="review-viewer-frame" ref={frame}>
        <p className="empty">{t('review.viewer.none')}</p>
      </div>
    );
  }
  const label = t('review.page', { number: props.number });
  return (
    <div className={`review-viewer-frame review-viewer-${mode}`} ref={frame}>
      {mode === 'compare' ? (
        <div className="review-compare">
          <ViewerImage
            page={page}
            variant="original"
            zoom="fit"
            label={label}
            caption={t('review.viewer.original')}
            frame={{ width: size.width / 2, height: size.height }}
            onFitScale={props.onFitScale}
          />
          <ViewerImage
            page={page}
            variant="cleaned"
            zoom="fit"
            label={label}
            caption={t('review.viewer.cleaned')}
            frame={{ width: size.width / 2, height: size.height }}
            onFitScale={props.onFitScale}
          />
        </div>
      ) : mode === 'ocr' ? (
        <OcrView page={page} label={label} />
      ) : (
        <ViewerImage
          page={page}
          variant={mode}
          zoom={zoom}
          label={label}
          caption={null}
          frame={size}
          onFitScale={props.onFitScale}
        />
      )}
    </div>
  );
}

function ViewerImage(props: {
  page: DocumentPage;
  variant: ImageVariant;
  zoom: Zoom;
  label: string;
  caption: string | null;
  frame: { width: number; height: number };
  onFitScale: (scale: number) => void;
}) {
  const { page, variant, zoom, onFitScale } = props;
  const t = useT();
  const maxSize = imageSizeFor(zoom, page, typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1);
  const key = imageKey(page, variant, maxSize);
  const fitKey = imageKey(page, variant, sizeBuckets[0]);
  const image = useStation((state) => state.reviewImages[key]);
  // While a sharper image loads, the one already shown stays.
  const fallback = useStation((state) => state.reviewImages[fitKey]);
  const loadViewerImage = useStation((state) => state.loadViewerImage);

  useEffect(() => {
    void loadViewerImage(page.id, variant, maxSize);
  }, [page.id, variant, maxSize, key, loadViewerImage]);

  const shown = image?.state === 'ready' ? image : fallback?.state === 'ready' ? fallback : image;
  const aspect = shown?.state === 'ready' ? shown.widthPx / shown.heightPx : page.widthPx / page.heightPx;
  const scale = fitScale(props.frame, page, aspect);
  useEffect(() => {
    if (variant !== 'original' || props.caption === null) onFitScale(scale);
  }, [scale, variant, props.caption, onFitScale]);

  const long = Math.max(page.widthPx, page.heightPx);
  const width = Math.round((aspect >= 1 ? long : long * aspect) * (zoom === 'fit' ? 1 : zoom));
  const height = Math.round((aspect >= 1 ? long / aspect : long) * (zoom === 'fit' ? 1 : zoom));

  return (
    <figure className="review-image">
      <div className={zoom === 'fit' ? 'review-image-scroll review-image-fit' : 'review-image-scroll'}>
        {shown?.state === 'ready' ? (
          <img
            src={shown.src}
            alt={
              props.caption === null
                ? `${props.label} · ${t(`review.viewer.${variant}`)}`
                : `${props.label} · ${props.caption}`
            }
            draggable={false}
            style={zoom === 'fit' ? undefined : { width, height, maxWidth: 'none', maxHeight: 'none' }}
          />
        ) : shown?.state === 'failed' ? (
          <button
            type="button"
            className="button button-quiet"
            onClick={() => void loadViewerImage(page.id, variant, maxSize)}
          >
            {t('review.viewer.failed')}
          </button>
        ) : (
          <p className="review-image-loading" role="status">
            {t('review.viewer.loading')}
          </p>
        )}
      </div>
      {props.caption !== null && <figcaption className="review-image-caption">{props.caption}</figcaption>}
    </figure>
  );
}

/** The captured image with the OCR result over it: doubtful words highlighted (OcrOverlay). */
function OcrView(props: { page: DocumentPage; label: string }) {
  const { page } = props;
  const t = useT();
  const result = useStation((state) => state.reviewOcrResults[page.id]);
  const ocr = useStation((state) => state.reviewOcr[page.id]);
  const threshold = useStation((state) => state.settings?.values.ocr.lowConfidenceThreshold ?? 85);
  const language = useStation((state) => state.language);
  const loadPageOcr = useStation((state) => state.loadPageOcr);
  const rereadPage = useStation((state) => state.rereadPage);
  const busy = useStation((state) => state.reviewBusy !== null);
  const key = imageKey(page, 'original', sizeBuckets[0]);
  const image = useStation((state) => state.reviewImages[key]);
  const loadViewerImage = useStation((state) => state.loadViewerImage);

  // The result is fetched when the page is first shown and when OCR has read it; a page waiting
  // for OCR or failed is not asked again and again (the events and "Nhận dạng lại" move it on).
  const wanted = ocr === undefined || ocr.state === 'done';
  useEffect(() => {
    if (wanted) void loadPageOcr(page.id, true);
  }, [page.id, wanted, ocr?.state, loadPageOcr]);
  useEffect(() => {
    void loadViewerImage(page.id, 'original', sizeBuckets[0]);
  }, [page.id, loadViewerImage]);

  const reread = (
    <button
      type="button"
      className="button button-quiet"
      disabled={busy || ocr?.state === 'pending' || ocr?.state === 'running'}
      aria-keyshortcuts="Shift+T"
      onClick={() => void rereadPage(page.id)}
    >
      {t('review.viewer.reread')} <kbd>Shift+T</kbd>
    </button>
  );
  if (result === undefined) {
    const waiting = ocr?.state === 'pending' || ocr?.state === 'running';
    const message =
      ocr?.state === 'loading'
        ? t('review.viewer.loading')
        : waiting
          ? t('review.viewer.ocrWaiting')
          : ocr?.state === 'failed'
            ? t('review.viewer.ocrFailed')
            : t('review.viewer.ocrNone');
    return (
      <div className="review-ocr">
        <p className="empty" role="status">
          {message}
        </p>
        {!waiting && ocr?.state !== 'loading' && reread}
      </div>
    );
  }
  if (image?.state !== 'ready') {
    return (
      <p className="review-image-loading" role="status">
        {t('review.viewer.loading')}
      </p>
    );
  }
  return (
    <div className="review-ocr">
      <p className="review-ocr-confidence">
        {t('review.viewer.ocrConfidence', { confidence: Math.round(result.confidence) })} {reread}
      </p>
      <OcrOverlay src={image.src} pageLabel={props.label} result={result} threshold={threshold} language={language} />
    </div>
  );
}

/** The label of a viewer mode. */
export function modeLabel(mode: ViewerMode): `review.viewer.${ViewerMode}` {
  return `review.viewer.${mode}`;
}
