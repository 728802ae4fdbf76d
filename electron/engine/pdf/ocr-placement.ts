import type { OcrResult, Orientation, PixelBox } from '../../../shared/ocr.js';
import { rotateBox } from '../../../shared/ocr.js';
import type { PageTransform } from '../../../shared/transforms.js';
import { totalRotation } from '../../../shared/transforms.js';

interface Frame {
  width: number;
  height: number;
}

type BoxMove = (box: PixelBox) => PixelBox;

/** The box turned `degrees` (−45…45) clockwise about the frame's centre, keeping its size (a deskew moves words, it does not tilt the layer). */
function turnAboutCentre(frame: Frame, degrees: number): BoxMove {
  const radians = (degrees * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const cx = frame.width / 2;
  const cy = frame.height / 2;
  return (box) => {
    const dx = (box.x0 + box.x1) / 2 - cx;
    const dy = (box.y0 + box.y1) / 2 - cy;
    const x = cx + dx * cos - dy * sin;
    const y = cy + dx * sin + dy * cos;
    const halfWidth = (box.x1 - box.x0) / 2;
    const halfHeight = (box.y1 - box.y0) / 2;
    return { x0: x - halfWidth, y0: y - halfHeight, x1: x + halfWidth, y1: y + halfHeight };
  };
}

/** One edit's effect on word boxes, and the frame it leaves (the same steps as the imaging's renderer). */
function step(frame: Frame, transform: PageTransform): { move: BoxMove; frame: Frame } {
  switch (transform.kind) {
    case 'rotate': {
      const sideways = transform.degrees !== 180;
      return {
        move: (box) => rotateBox(box, transform.degrees, frame.width, frame.height),
        frame: sideways ? { width: frame.height, height: frame.width } : frame,
      };
    }
    case 'deskew':
      // The renderer turns the content back (counter-clockwise) and keeps the canvas.
      return { move: turnAboutCentre(frame, -transform.degrees), frame };
    case 'crop': {
      const left = transform.left * frame.width;
      const top = transform.top * frame.height;
      return {
        move: (box) => ({ x0: box.x0 - left, y0: box.y0 - top, x1: box.x1 - left, y1: box.y1 - top }),
        frame: { width: transform.width * frame.width, height: transform.height * frame.height },
      };
    }
  }
}

/** An OCR result laid on an output page, and how far the page shows its text turned. */
export interface PlacedOcr {
  /** In the page's pixels; for a `turn`, in the page turned back upright (width and height swapped for a quarter). */
  ocr: OcrResult;
  /** Clockwise turn of the text on the page: the clerk may show a page sideways. */
  turn: Orientation;
}

/**
 * The OCR result laid on the output page: its boxes are in OCR's frame (the captured image turned
 * `result.orientation`), the page is the captured image through `transforms`, `width` × `height`
 * pixels. Words are taken back to the capture, then through the same edits as the image, then
 * scaled to the page; words pushed off the page by a crop are left out. Where the page shows the
 * text turned, the words are given in the page turned back upright, with the turn, so the text
 * layer is written reading left to right and turned with the page.
 */
export function placeOcrOnPage(
  result: OcrResult,
  transforms: readonly PageTransform[],
  width: number,
  height: number,
): PlacedOcr {
  const turnedBack = ((360 - result.orientation) % 360) as Orientation;
  let frame: Frame =
    turnedBack % 180 === 0
      ? { width: result.widthPx, height: result.heightPx }
      : { width: result.heightPx, height: result.widthPx };
  const moves: BoxMove[] = [(box) => rotateBox(box, turnedBack, result.widthPx, result.heightPx)];
  for (const transform of transforms) {
    const next = step(frame, transform);
    moves.push(next.move);
    frame = next.frame;
  }
  const turn = ((totalRotation(transforms) - result.orientation + 360) % 360) as Orientation;
  const upright = ((360 - turn) % 360) as Orientation;
  const sx = frame.width > 0 ? width / frame.width : 1;
  const sy = frame.height > 0 ? height / frame.height : 1;
  const place = (box: PixelBox): PixelBox => {
    const moved = moves.reduce((current, move) => move(current), box);
    const onPage = {
      x0: Math.max(0, Math.min(width, moved.x0 * sx)),
      y0: Math.max(0, Math.min(height, moved.y0 * sy)),
      x1: Math.max(0, Math.min(width, moved.x1 * sx)),
      y1: Math.max(0, Math.min(height, moved.y1 * sy)),
    };
    return rotateBox(onPage, upright, width, height);
  };
  const visible = (box: PixelBox): boolean => box.x1 > box.x0 && box.y1 > box.y0;
  const lines = result.lines
    .map((line) => ({
      ...line,
      bbox: place(line.bbox),
      words: line.words.map((word) => ({ ...word, bbox: place(word.bbox) })).filter((word) => visible(word.bbox)),
    }))
    .filter((line) => line.words.length > 0);
  const sideways = turn % 180 !== 0;
  return {
    ocr: { ...result, widthPx: sideways ? height : width, heightPx: sideways ? width : height, lines },
    turn,
  };
}
