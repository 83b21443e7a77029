/**
 * Deskew: find how far a page's text lines are tilted (up to +-MAX_SKEW degrees) and turn the page
 * straight before recognition. Tesseract copes with a degree or two by itself; at ~20 degrees it
 * reads nothing (corpus: tess4j-eurotext_deskew.png, 22 degrees, CER 1.0 before this).
 *
 * The estimate is Leptonica's (pixFindSkewSweepAndSearch, used by tesseract and OCRmyPDF's
 * --deskew): on a small binarised copy, project the ink onto lines at each trial angle and score
 * the sharpness of the profile as the sum of squared differences between neighbouring rows; text
 * lines seen edge-on give tall, sharply separated peaks. A coarse sweep, then a finer one around
 * the best angle. Done at ~75 dpi (at most 1000 px a side), so a straight page pays a few milliseconds and
 * is left as it is; only a page clearly off (at least MIN_SKEW, with a clear winner) is rotated.
 * Sideways text (lines running up the page) is measured against the vertical the same way, and
 * only its residual tilt is removed: 90/180/270 turns stay with the orientation check.
 */
import sharp from 'sharp';
import type { PageImage } from './image';

export const MAX_SKEW = 32;
/** Below this the page is left alone: tesseract's own line finding absorbs small tilts. */
export const MIN_SKEW = 1;
const ANALYSIS_SIDE = 1000;
const ANALYSIS_DPI = 75;
/** Tallest blob counted, in pixels at ANALYSIS_DPI: a 40-point heading is ~55 px; photos and borders are taller. */
const MAX_BLOB_HEIGHT = 45;
/** Ink must be this much darker (of 255) than the blurred page around it. */
const LOCAL_CONTRAST = 24;
/** The best angle must beat the profile at 0 degrees by this factor to count as skew. */
const MIN_GAIN = 1.15;
/** Leptonica's minimum confidence: best score over the worst score of the sweep. */
const MIN_CONFIDENCE = 1.5;
/** Pixels counted at most (sampled evenly beyond that): the cost stays flat on dense pages. */
const MAX_POINTS = 40_000;

export interface SkewEstimate {
  /** Degrees to rotate the page clockwise to straighten it (sharp's rotate() convention). */
  angle: number;
  /** Best profile score over the score at 0 degrees. */
  gain: number;
  confidence: number;
  vertical: boolean;
}

function pgmPixels(page: PageImage): Buffer {
  let newlines = 0;
  for (let i = 0; i < page.pgm.length; i++) if (page.pgm[i] === 0x0a && ++newlines === 3) return page.pgm.subarray(i + 1);
  return page.pgm;
}

/** Otsu's threshold over an 8-bit histogram. */
function otsu(data: Uint8Array): number {
  const hist = new Array<number>(256).fill(0);
  for (let i = 0; i < data.length; i++) hist[data[i] as number]!++;
  let sum = 0;
  for (let t = 0; t < 256; t++) sum += t * hist[t]!;
  let sumB = 0;
  let wB = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (!wB) continue;
    const wF = data.length - wB;
    if (!wF) break;
    sumB += t * hist[t]!;
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

/**
 * Ink pixels of a small copy, as coordinates around its centre. Ink is darker than Otsu's threshold
 * AND clearly darker than its surroundings (a blurred copy): a dark scanner bed or table around a
 * receipt is not ink, its edges would otherwise outweigh the text lines.
 */
async function inkPoints(page: PageImage): Promise<{ xs: Float32Array; ys: Float32Array; n: number; w: number; h: number } | null> {
  // ~75 dpi, as Leptonica (300/4): lines of 10-point text stay apart; at most
  // ANALYSIS_SIDE a side, at least 600 px (a high-dpi scan of a large page).
  const side = Math.max(page.width, page.height);
  const target = Math.min(ANALYSIS_SIDE, Math.max(600, (side * ANALYSIS_DPI) / page.dpi));
  const scale = Math.min(1, target / side);
  const small = sharp(pgmPixels(page), { raw: { width: page.width, height: page.height, channels: 1 } })
    .resize({ width: Math.max(1, Math.round(page.width * scale)), kernel: 'linear' })
    .toColourspace('b-w');
  const { data: grey, info } = await small.clone().raw().toBuffer({ resolveWithObject: true });
  const w = info.width;
  const h = info.height;
  if (info.channels !== 1 || w < 16 || h < 16) return null;
  const { data: around } = await sharp(grey, { raw: { width: w, height: h, channels: 1 } })
    .blur(Math.max(2, Math.max(w, h) / 50))
    .raw()
    .toBuffer({ resolveWithObject: true });
  const t = otsu(grey);
  const ink = new Uint8Array(grey.length);
  let count = 0;
  for (let i = 0; i < grey.length; i++) {
    const v = grey[i] as number;
    if (v <= t && v + LOCAL_CONTRAST <= (around[i] as number)) {
      ink[i] = 1;
      count++;
    }
  }
  // Blank pages, or "ink" covering most of the page (a photo): nothing to learn.
  if (count < 100 || count > grey.length * 0.4) return null;
  count = keepTextLike(ink, w, h, Math.max(12, Math.round((MAX_BLOB_HEIGHT * page.dpi * scale) / ANALYSIS_DPI)));
  if (count < 100) return null;
  const step = Math.max(1, Math.ceil(count / MAX_POINTS));
  const n = Math.ceil(count / step);
  const xs = new Float32Array(n);
  const ys = new Float32Array(n);
  let k = 0;
  let seen = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!ink[y * w + x]) continue;
      if (seen++ % step === 0 && k < n) {
        xs[k] = x - w / 2;
        ys[k] = y - h / 2;
        k++;
      }
    }
  }
  return { xs, ys, n: k, w, h };
}

/**
 * Keeps only connected blobs of ink shaped like characters or words: not taller than `maxHeight`,
 * at least 3 pixels. A dithered or halftone photo, rules and the black border of a scan otherwise
 * make strong straight patterns at their own angles (the UNLV magazine page scored a false 18
 * degrees from its dithered photo). Returns how many pixels were kept. Each pixel is visited a
 * bounded number of times (once as a seed, once from its neighbours).
 */
function keepTextLike(ink: Uint8Array, w: number, h: number, maxHeight: number): number {
  const stack = new Int32Array(w * h);
  const members = new Int32Array(w * h);
  let kept = 0;
  for (let seed = 0; seed < ink.length; seed++) {
    if (ink[seed] !== 1) continue;
    let top = 0;
    let n = 0;
    stack[top++] = seed;
    ink[seed] = 2; // visited
    let y0 = h;
    let y1 = -1;
    while (top) {
      const i = stack[--top] as number;
      members[n++] = i;
      const x = i % w;
      const y = (i - x) / w;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      const push = (j: number) => {
        ink[j] = 2;
        stack[top++] = j;
      };
      if (x > 0 && ink[i - 1] === 1) push(i - 1);
      if (x < w - 1 && ink[i + 1] === 1) push(i + 1);
      if (y > 0 && ink[i - w] === 1) push(i - w);
      if (y < h - 1 && ink[i + w] === 1) push(i + w);
    }
    const keep = n >= 3 && y1 - y0 + 1 <= maxHeight;
    for (let k = 0; k < n; k++) ink[members[k] as number] = keep ? 3 : 0;
    if (keep) kept += n;
  }
  for (let i = 0; i < ink.length; i++) ink[i] = ink[i] === 3 ? 1 : 0;
  return kept;
}

/** Leptonica's differential square sum of the projection at `deg` (lines along x tilted by deg). */
function score(xs: Float32Array, ys: Float32Array, n: number, deg: number, bins: Int32Array): number {
  const r = (deg * Math.PI) / 180;
  const s = Math.sin(r);
  const c = Math.cos(r);
  const off = bins.length / 2;
  bins.fill(0);
  for (let i = 0; i < n; i++) {
    const y = (ys[i] as number) * c - (xs[i] as number) * s + off;
    bins[y | 0]!++;
  }
  let sum = 0;
  for (let i = 1; i < bins.length; i++) {
    const d = bins[i]! - bins[i - 1]!;
    sum += d * d;
  }
  return sum;
}

function sweep(xs: Float32Array, ys: Float32Array, n: number, size: number) {
  const bins = new Int32Array(Math.ceil(size * 1.5) + 4);
  let best = 0;
  let bestScore = -1;
  let worst = Infinity;
  for (let a = -MAX_SKEW; a <= MAX_SKEW; a += 1) {
    const v = score(xs, ys, n, a, bins);
    if (v > bestScore) [best, bestScore] = [a, v];
    worst = Math.min(worst, v);
  }
  // Refine to 0.1 degree around the coarse winner.
  const coarse = best;
  for (let a = coarse - 1; a <= coarse + 1 + 1e-9; a += 0.1) {
    const v = score(xs, ys, n, a, bins);
    if (v > bestScore) [best, bestScore] = [a, v];
  }
  const zero = score(xs, ys, n, 0, bins);
  return { angle: Math.round(best * 10) / 10, best: bestScore, zero, worst };
}

/** How far the page is tilted, or null when it cannot tell (blank, photo, too little text). */
export async function estimateSkew(page: PageImage): Promise<SkewEstimate | null> {
  const pts = await inkPoints(page);
  if (!pts) return null;
  const { xs, ys, n, w, h } = pts;
  const diag = Math.hypot(w, h);
  const across = sweep(xs, ys, n, diag);
  // Sideways text: the same with x and y exchanged (lines running along y).
  const down = sweep(ys, xs, n, diag);
  // A page turned by an angle tilts its lines and its columns alike, so both sweeps name the same
  // turn when both see structure; the sharper one (best over worst of its sweep) decides.
  const conf = (r: { best: number; worst: number }) => (r.worst > 0 ? r.best / r.worst : Infinity);
  const vertical = conf(down) > conf(across) * 1.2;
  const r = vertical ? down : across;
  // Measured with y pointing down, a line tilted by +a (clockwise on screen) straightens with a
  // counter-clockwise turn: sharp's rotate() takes clockwise degrees, so the sign flips. Swapping
  // the axes mirrors the page, which flips it once more.
  const angle = vertical ? r.angle : -r.angle;
  return { angle: angle === 0 ? 0 : angle, gain: r.zero > 0 ? r.best / r.zero : Infinity, confidence: conf(r), vertical };
}

/** Rotate a greyscale page by any angle (clockwise), growing the canvas, new corners white. */
export async function rotatePageBy(page: PageImage, degrees: number): Promise<PageImage> {
  const { data, info } = await sharp(pgmPixels(page), { raw: { width: page.width, height: page.height, channels: 1 } })
    .rotate(degrees, { background: { r: 255, g: 255, b: 255, alpha: 1 } })
    .toColourspace('b-w')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const grey = info.channels === 1 ? data : data.filter((_, i) => i % info.channels === 0);
  const header = Buffer.from(`P5\n${info.width} ${info.height}\n255\n`, 'latin1');
  return { pgm: Buffer.concat([header, grey]), width: info.width, height: info.height, dpi: page.dpi };
}

export interface Deskewed {
  page: PageImage;
  /** Clockwise degrees the page was turned (0 when left as it was). */
  angle: number;
  estimate: SkewEstimate | null;
}

/** The page straightened when it is clearly skewed; otherwise the same page, untouched. */
export async function deskewPage(page: PageImage): Promise<Deskewed> {
  const estimate = await estimateSkew(page);
  if (!estimate || Math.abs(estimate.angle) < MIN_SKEW || estimate.gain < MIN_GAIN || estimate.confidence < MIN_CONFIDENCE) {
    return { page, angle: 0, estimate };
  }
  return { page: await rotatePageBy(page, estimate.angle), angle: estimate.angle, estimate };
}
