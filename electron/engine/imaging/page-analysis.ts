/**
 * Pure measurements on a downscaled grey page: ink mask, skew, orientation, border, blank.
 *
 * Everything here works on 8-bit grey pixels (0 black … 255 white) in row order, so it is testable
 * without images and runs unchanged inside the imaging workers.
 */

/** A grey image. */
export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A binary image: 1 = ink. */
export interface InkMask {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Sums over rectangles in O(1): the integral image of `values`, one row and column larger. */
function integral(values: Uint8Array, width: number, height: number): Float64Array {
  const sums = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y += 1) {
    let row = 0;
    for (let x = 0; x < width; x += 1) {
      row += values[y * width + x] ?? 0;
      sums[(y + 1) * (width + 1) + x + 1] = (sums[y * (width + 1) + x + 1] ?? 0) + row;
    }
  }
  return sums;
}

/**
 * Ink by contrast with the local paper: a pixel is ink when it is darker than `ratio` × the mean of
 * its neighbourhood (a box `radius` pixels each way) and darker than `maxLevel`.
 *
 * Comparing with the local mean rather than one global threshold keeps text under uneven lighting,
 * and the ratio drops show-through from the back side, which darkens the paper by far less than ink.
 */
export function inkMask(
  image: GreyImage,
  options: { radius?: number; ratio?: number; maxLevel?: number } = {},
): InkMask {
  const { data, width, height } = image;
  const radius = options.radius ?? Math.max(8, Math.round(Math.min(width, height) / 40));
  const ratio = options.ratio ?? 0.72;
  const maxLevel = options.maxLevel ?? 170;
  const sums = integral(data, width, height);
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x += 1) {
      const value = data[y * width + x] ?? 255;
      if (value > maxLevel) continue;
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(width, x + radius + 1);
      const total =
        (sums[y1 * (width + 1) + x1] ?? 0) -
        (sums[y0 * (width + 1) + x1] ?? 0) -
        (sums[y1 * (width + 1) + x0] ?? 0) +
        (sums[y0 * (width + 1) + x0] ?? 0);
      const mean = total / ((x1 - x0) * (y1 - y0));
      if (value < mean * ratio) mask[y * width + x] = 1;
    }
  }
  return { data: mask, width, height };
}

/** A connected group of ink pixels (8-connected). */
export interface Component {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  area: number;
}

/** Connected components of the mask, with bounding boxes and pixel counts. */
export function connectedComponents(mask: InkMask): Component[] {
  const { data, width, height } = mask;
  const labels = new Int32Array(width * height).fill(-1);
  const components: Component[] = [];
  const stack: number[] = [];
  for (let start = 0; start < data.length; start += 1) {
    if (data[start] !== 1 || labels[start] !== -1) continue;
    const label = components.length;
    const component: Component = { x0: width, y0: height, x1: -1, y1: -1, area: 0 };
    components.push(component);
    labels[start] = label;
    stack.push(start);
    while (stack.length > 0) {
      const index = stack.pop() ?? 0;
      const x = index % width;
      const y = (index - x) / width;
      component.area += 1;
      if (x < component.x0) component.x0 = x;
      if (x > component.x1) component.x1 = x;
      if (y < component.y0) component.y0 = y;
      if (y > component.y1) component.y1 = y;
      for (let dy = -1; dy <= 1; dy += 1) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx += 1) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const neighbour = ny * width + nx;
          if (data[neighbour] === 1 && labels[neighbour] === -1) {
            labels[neighbour] = label;
            stack.push(neighbour);
          }
        }
      }
    }
  }
  return components;
}

/** Components that look like printed or written marks, not speckles, scanner edges or smudges. */
export function markComponents(mask: InkMask, dpi: number): Component[] {
  // Sizes in analysis pixels: a dot of 0.35 mm or more and no larger than a third of the page.
  const minSide = Math.max(2, Math.round((0.35 / 25.4) * dpi));
  const minArea = Math.max(4, Math.round(minSide * minSide * 1.5));
  return connectedComponents(mask).filter((component) => {
    const w = component.x1 - component.x0 + 1;
    const h = component.y1 - component.y0 + 1;
    const touchesEdge =
      component.x0 === 0 || component.y0 === 0 || component.x1 === mask.width - 1 || component.y1 === mask.height - 1;
    return (
      !touchesEdge &&
      component.area >= minArea &&
      Math.max(w, h) >= minSide * 2 &&
      w < mask.width / 3 &&
      h < mask.height / 3
    );
  });
}

/** Ink pixel coordinates with the marks' filter applied, at most `limit` of them, evenly sampled. */
export function inkPoints(mask: InkMask, marks: Component[], limit = 60_000): { xs: Float64Array; ys: Float64Array } {
  const keep = new Uint8Array(mask.width * mask.height);
  for (const mark of marks) {
    for (let y = mark.y0; y <= mark.y1; y += 1) {
      keep.fill(1, y * mask.width + mark.x0, y * mask.width + mark.x1 + 1);
    }
  }
  let total = 0;
  for (let i = 0; i < mask.data.length; i += 1) if (mask.data[i] === 1 && keep[i] === 1) total += 1;
  const step = Math.max(1, total / limit);
  const count = Math.min(total, limit);
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  let seen = 0;
  let next = 0;
  let n = 0;
  for (let i = 0; i < mask.data.length && n < count; i += 1) {
    if (mask.data[i] !== 1 || keep[i] !== 1) continue;
    if (seen >= next) {
      xs[n] = i % mask.width;
      ys[n] = Math.floor(i / mask.width);
      n += 1;
      next += step;
    }
    seen += 1;
  }
  return { xs: xs.subarray(0, n), ys: ys.subarray(0, n) };
}

/** Horizontal projection of the points after rotating them back by `degrees` (clockwise skew). */
function projection(xs: Float64Array, ys: Float64Array, degrees: number, size: number): Float64Array {
  const radians = (degrees * Math.PI) / 180;
  const sin = Math.sin(radians);
  const cos = Math.cos(radians);
  const offset = size / 2;
  const bins = new Float64Array(size * 2);
  for (let i = 0; i < xs.length; i += 1) {
    const y = (ys[i] ?? 0) * cos - (xs[i] ?? 0) * sin + offset;
    const bin = Math.round(y);
    if (bin >= 0 && bin < bins.length) bins[bin] = (bins[bin] ?? 0) + 1;
  }
  return bins;
}

/** How sharply the points fall into horizontal lines at this angle: the sum of squared bins. */
function lineScore(xs: Float64Array, ys: Float64Array, degrees: number, size: number): number {
  const bins = projection(xs, ys, degrees, size);
  let score = 0;
  for (const value of bins) score += value * value;
  return score;
}

/**
 * The clockwise angle of the text lines, by maximising the projection profile's energy.
 *
 * A coarse search over ±`range` degrees, then two finer passes around the best, to 0.05°.
 * Returns the angle and its score, so callers can compare axes.
 */
export function estimateSkew(
  xs: Float64Array,
  ys: Float64Array,
  size: number,
  range = 5,
): { degrees: number; score: number; flatness: number } {
  let best = { degrees: 0, score: -1 };
  let worst = Infinity;
  for (let degrees = -range; degrees <= range + 1e-9; degrees += 0.25) {
    const score = lineScore(xs, ys, degrees, size);
    if (score > best.score) best = { degrees, score };
    if (score < worst) worst = score;
  }
  for (const step of [0.05, 0.01]) {
    const centre = best.degrees;
    for (let k = -5; k <= 5; k += 1) {
      if (k === 0) continue;
      const degrees = centre + k * step;
      const score = lineScore(xs, ys, degrees, size);
      if (score > best.score) best = { degrees, score };
    }
  }
  return { degrees: Math.round(best.degrees * 100) / 100, score: best.score, flatness: worst / best.score };
}

/** Rotates points by a quarter-turn multiple clockwise inside a `width` × `height` frame. */
export function rotatePoints(
  xs: Float64Array,
  ys: Float64Array,
  width: number,
  height: number,
  degrees: 0 | 90 | 180 | 270,
): { xs: Float64Array; ys: Float64Array; width: number; height: number } {
  if (degrees === 0) return { xs, ys, width, height };
  const rx = new Float64Array(xs.length);
  const ry = new Float64Array(ys.length);
  for (let i = 0; i < xs.length; i += 1) {
    const x = xs[i] ?? 0;
    const y = ys[i] ?? 0;
    if (degrees === 90) {
      rx[i] = height - 1 - y;
      ry[i] = x;
    } else if (degrees === 180) {
      rx[i] = width - 1 - x;
      ry[i] = height - 1 - y;
    } else {
      rx[i] = y;
      ry[i] = width - 1 - x;
    }
  }
  return degrees === 180 ? { xs: rx, ys: ry, width, height } : { xs: rx, ys: ry, width: height, height: width };
}

/**
 * Which way up horizontal text lines are: positive when upright, negative when upside down.
 *
 * In each text line of the projection profile, Latin script puts more ink above the x-height band
 * (capitals, ascenders, and in Vietnamese the tone and vowel marks) than below it (descenders and
 * the dot below). Turned upside down, the excess is below. The result is (above − below) / total,
 * summed over lines weighted by their ink.
 */
export function lineAsymmetry(bins: Float64Array): { asymmetry: number; lines: number; bands: LineBand[] } {
  let max = 0;
  for (const value of bins) if (value > max) max = value;
  const floor = max * 0.03;
  let above = 0;
  let below = 0;
  const bands: LineBand[] = [];
  let start = -1;
  for (let i = 0; i <= bins.length; i += 1) {
    const value = i < bins.length ? (bins[i] ?? 0) : 0;
    if (value > floor && start < 0) start = i;
    if ((value <= floor || i === bins.length) && start >= 0) {
      const end = i;
      const height = end - start;
      if (height >= 4) {
        let peak = 0;
        for (let j = start; j < end; j += 1) peak = Math.max(peak, bins[j] ?? 0);
        // The x-height band: the rows from the first to the last above half the peak.
        let coreTop = start;
        let coreBottom = end - 1;
        while (coreTop < end && (bins[coreTop] ?? 0) < peak * 0.5) coreTop += 1;
        while (coreBottom > start && (bins[coreBottom] ?? 0) < peak * 0.5) coreBottom -= 1;
        let lineAbove = 0;
        let lineBelow = 0;
        for (let j = start; j < coreTop; j += 1) lineAbove += bins[j] ?? 0;
        for (let j = coreBottom + 1; j < end; j += 1) lineBelow += bins[j] ?? 0;
        above += lineAbove;
        below += lineBelow;
        bands.push({ top: start, coreTop, coreBottom, bottom: end - 1 });
      }
      start = -1;
    }
  }
  const total = above + below;
  return { asymmetry: total === 0 ? 0 : (above - below) / total, lines: bands.length, bands };
}

/** A text line of the projection profile: its extent and its x-height band, in projection rows. */
export interface LineBand {
  top: number;
  coreTop: number;
  coreBottom: number;
  bottom: number;
}

/**
 * Which way up the lines are, from the small marks beside them: positive when upright.
 *
 * Vietnamese puts a tone or vowel mark above most syllables (and i has its dot), while only the
 * dot below (nặng) sits under the line; a mark is a component shorter than the x-height lying wholly
 * above or below a line's x-height band. Unlike ink mass, this ignores underlines, rules and stamps.
 */
export function markAsymmetry(
  marks: readonly { cx: number; cy: number; height: number }[],
  bands: readonly LineBand[],
  toRow: (x: number, y: number) => number,
): { asymmetry: number; counted: number } {
  let above = 0;
  let below = 0;
  for (const mark of marks) {
    const row = toRow(mark.cx, mark.cy);
    const band = bands.find((candidate) => row >= candidate.top && row <= candidate.bottom);
    if (band === undefined) continue;
    const core = band.coreBottom - band.coreTop + 1;
    if (mark.height >= core * 0.7) continue;
    if (row + mark.height / 2 < band.coreTop) above += 1;
    else if (row - mark.height / 2 > band.coreBottom) below += 1;
  }
  const counted = above + below;
  return { asymmetry: counted === 0 ? 0 : (above - below) / counted, counted };
}

/** The result of orientation and skew estimation. */
export interface OrientationEstimate {
  /** Clockwise quarter turns the page needs to read upright. */
  orientation: 0 | 90 | 180 | 270;
  /** Clockwise skew of the text lines once the page is upright, degrees. */
  skewDeg: number;
  /** 0–1: how clearly the text runs along the chosen axis (1 − score ratio of the two axes). */
  axisConfidence: number;
  /** −1…1: ascender/descender asymmetry of the upright page (positive = upright). */
  asymmetry: number;
  lines: number;
  /** The two measures behind it (see lineAsymmetry and markAsymmetry). */
  inkAsymmetry: number;
  markAsymmetry: number;
  marksCounted: number;
}

/** Estimates orientation and skew from ink points (and the marks they belong to) in a `width` × `height` frame. */
export function estimateOrientation(
  xs: Float64Array,
  ys: Float64Array,
  width: number,
  height: number,
  components: readonly Component[] = [],
): OrientationEstimate {
  const size = Math.ceil(Math.hypot(width, height));
  const horizontal = estimateSkew(xs, ys, size);
  const turned = rotatePoints(xs, ys, width, height, 90);
  const vertical = estimateSkew(turned.xs, turned.ys, size);
  const useVertical = vertical.score > horizontal.score;
  const axisConfidence = 1 - Math.min(horizontal.score, vertical.score) / Math.max(horizontal.score, vertical.score, 1);
  const base: 0 | 90 = useVertical ? 90 : 0;
  const frame = useVertical ? turned : { xs, ys, width, height };
  const skew = useVertical ? vertical.degrees : horizontal.degrees;
  const ink = lineAsymmetry(projection(frame.xs, frame.ys, skew, size));
  // Component centres in the same frame and projection rows as the profile.
  const radians = (skew * Math.PI) / 180;
  const sin = Math.sin(radians);
  const cos = Math.cos(radians);
  const toRow = (x: number, y: number): number => {
    const fx = useVertical ? height - 1 - y : x;
    const fy = useVertical ? x : y;
    return Math.round(fy * cos - fx * sin + size / 2);
  };
  const marks = components.map((component) => ({
    cx: (component.x0 + component.x1) / 2,
    cy: (component.y0 + component.y1) / 2,
    height: useVertical ? component.x1 - component.x0 + 1 : component.y1 - component.y0 + 1,
  }));
  const byMarks = markAsymmetry(marks, ink.bands, toRow);
  // Marks decide when there are enough of them; ink mass is the fallback for pages with few.
  const asymmetry = byMarks.counted >= 20 ? byMarks.asymmetry : ink.asymmetry;
  const orientation = (asymmetry >= 0 ? base : base + 180) as 0 | 90 | 180 | 270;
  // A half turn keeps a line's slope, so the skew measured in this frame holds once upright.
  return {
    orientation,
    skewDeg: skew,
    axisConfidence,
    asymmetry: Math.abs(asymmetry),
    lines: ink.lines,
    inkAsymmetry: ink.asymmetry,
    markAsymmetry: byMarks.asymmetry,
    marksCounted: byMarks.counted,
  };
}

/** Rows and columns of scanner background (dark bands) at the edges: the page rectangle inside them. */
export function detectBorder(image: GreyImage): { left: number; top: number; right: number; bottom: number } {
  const { data, width, height } = image;
  // Paper brightness: a high percentile of the whole image.
  const histogram = new Array<number>(256).fill(0);
  for (const value of data) histogram[value] = (histogram[value] ?? 0) + 1;
  let seen = 0;
  let paper = 255;
  for (let level = 255; level >= 0; level -= 1) {
    seen += histogram[level] ?? 0;
    if (seen >= data.length * 0.2) {
      paper = level;
      break;
    }
  }
  const dark = paper * 0.5;
  const darkFraction = (count: number, at: (i: number) => number): number => {
    let n = 0;
    for (let i = 0; i < count; i += 1) if (at(i) < dark) n += 1;
    return n / count;
  };
  const isBorderRow = (y: number): boolean => darkFraction(width, (x) => data[y * width + x] ?? 255) > 0.5;
  const isBorderColumn = (x: number): boolean => darkFraction(height, (y) => data[y * width + x] ?? 255) > 0.5;
  const limitY = Math.floor(height / 4);
  const limitX = Math.floor(width / 4);
  let top = 0;
  while (top < limitY && isBorderRow(top)) top += 1;
  let bottom = height;
  while (bottom > height - limitY && isBorderRow(bottom - 1)) bottom -= 1;
  let left = 0;
  while (left < limitX && isBorderColumn(left)) left += 1;
  let right = width;
  while (right > width - limitX && isBorderColumn(right - 1)) right -= 1;
  // A band found: cut a little further in, past the shadowed paper edge.
  const pad = Math.max(1, Math.round(Math.min(width, height) / 400));
  return {
    left: left > 0 ? Math.min(limitX, left + pad) : 0,
    top: top > 0 ? Math.min(limitY, top + pad) : 0,
    right: right < width ? Math.max(width - limitX, right - pad) : width,
    bottom: bottom < height ? Math.max(height - limitY, bottom - pad) : height,
  };
}

/** The colour class of a page from an RGB thumbnail: any real colour (a stamp, a logo) makes it `color`. */
export function colourClass(
  rgb: Uint8Array,
  channels: number,
  greyLevels: Uint8Array,
): { mode: 'color' | 'gray' | 'lineart'; colourFraction: number; midToneFraction: number } {
  let coloured = 0;
  const pixels = Math.floor(rgb.length / channels);
  if (channels >= 3) {
    for (let i = 0; i < rgb.length; i += channels) {
      const r = rgb[i] ?? 0;
      const g = rgb[i + 1] ?? 0;
      const b = rgb[i + 2] ?? 0;
      const chroma = Math.max(r, g, b) - Math.min(r, g, b);
      if (chroma > 60) coloured += 1;
    }
  }
  let mid = 0;
  for (const value of greyLevels) if (value > 40 && value < 215) mid += 1;
  const colourFraction = pixels > 0 ? coloured / pixels : 0;
  const midToneFraction = mid / greyLevels.length;
  const mode = colourFraction > 0.0005 ? 'color' : midToneFraction < 0.005 ? 'lineart' : 'gray';
  return { mode, colourFraction, midToneFraction };
}
