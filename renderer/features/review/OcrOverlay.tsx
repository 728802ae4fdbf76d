import type { CSSProperties, KeyboardEvent } from 'react';
import { useMemo } from 'react';
import type { OcrResult, OcrWord, Orientation } from '../../../shared/ocr.js';
import type { Language } from '../../../shared/settings.js';
import { createTranslator } from '../../i18n/i18n.js';
import './ocr-overlay.css';

export interface OcrOverlayProps {
  /** The page image as stored (a URL the page may load: data:, blob: or the app's own). */
  src: string;
  /** Accessible name of the page, e.g. "Trang 3". */
  pageLabel: string;
  result: OcrResult;
  /** Words below this confidence (0–100) are highlighted: the `ocr.lowConfidenceThreshold` setting. */
  threshold: number;
  /**
   * Clockwise turn that shows `src` the way the result reads it; the result's orientation by
   * default (right for the stored image). 0 when `src` is already upright.
   */
  imageRotation?: Orientation;
  /** Outline every recognised word as well, not only the doubtful ones. */
  showAllWords?: boolean;
  /** Language of the labels; Vietnamese by default. */
  language?: Language;
  /** Called when the clerk picks a highlighted word (click, Enter or Space), e.g. to correct it. */
  onWordSelect?: (word: OcrWord) => void;
}

/** The image's box inside the overlay's frame, as a percentage of the frame, before it is turned. */
function imageStyle(rotation: Orientation, width: number, height: number): CSSProperties {
  const sideways = rotation === 90 || rotation === 270;
  return {
    width: sideways ? `${(height / width) * 100}%` : '100%',
    height: sideways ? `${(width / height) * 100}%` : '100%',
    transform: `translate(-50%, -50%) rotate(${rotation}deg)`,
  };
}

/**
 * A page image with the OCR result laid over it: words below the confidence threshold are
 * highlighted, so the clerk looks twice exactly where the engine doubted.
 *
 * Standalone (no store, no engine): the review screen gives it the page image and the result of
 * `ocr:get`. The overlay is drawn in the result's upright page, so it fits whatever the
 * orientation of the scan.
 */
export function OcrOverlay(props: OcrOverlayProps) {
  const { result, threshold, onWordSelect } = props;
  const t = useMemo(() => createTranslator(props.language ?? 'vi'), [props.language]);
  const rotation = props.imageRotation ?? result.orientation;
  const words = useMemo(() => result.lines.flatMap((line) => line.words), [result]);
  const doubtful = words.filter((word) => word.confidence < threshold);
  const shown = props.showAllWords === true ? words : doubtful;
  const summary =
    doubtful.length === 0
      ? t('ocr.overlay.none', { threshold })
      : t('ocr.overlay.doubtful', { count: doubtful.length, threshold });

  const select = (word: OcrWord) => onWordSelect?.(word);
  const onKey = (event: KeyboardEvent, word: OcrWord) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    select(word);
  };

  return (
    <figure className="ocr-overlay">
      <div className="ocr-overlay__frame" style={{ aspectRatio: `${result.widthPx} / ${result.heightPx}` }}>
        <img
          className="ocr-overlay__image"
          src={props.src}
          alt={props.pageLabel}
          draggable={false}
          style={imageStyle(rotation, result.widthPx, result.heightPx)}
        />
        <svg
          className="ocr-overlay__marks"
          viewBox={`0 0 ${result.widthPx} ${result.heightPx}`}
          preserveAspectRatio="none"
          role="group"
          aria-label={t('ocr.overlay.label', { page: props.pageLabel })}
        >
          {shown.map((word, index) => {
            const isDoubtful = word.confidence < threshold;
            const label = t('ocr.overlay.word', { text: word.text, confidence: Math.round(word.confidence) });
            const interactive = isDoubtful && onWordSelect !== undefined;
            return (
              <rect
                key={`${index}-${word.bbox.x0}-${word.bbox.y0}`}
                className={isDoubtful ? 'ocr-overlay__word ocr-overlay__word--doubtful' : 'ocr-overlay__word'}
                x={word.bbox.x0}
                y={word.bbox.y0}
                width={Math.max(1, word.bbox.x1 - word.bbox.x0)}
                height={Math.max(1, word.bbox.y1 - word.bbox.y0)}
                role={isDoubtful ? (interactive ? 'button' : 'img') : 'presentation'}
                aria-label={isDoubtful ? label : undefined}
                data-confidence={word.confidence}
                tabIndex={interactive ? 0 : undefined}
                onClick={interactive ? () => select(word) : undefined}
                onKeyDown={interactive ? (event) => onKey(event, word) : undefined}
              >
                {isDoubtful ? <title>{label}</title> : null}
              </rect>
            );
          })}
        </svg>
      </div>
      <figcaption className="ocr-overlay__summary">{summary}</figcaption>
    </figure>
  );
}
