/**
 * Pages too big to hand tesseract whole at the resolution they need (a poster, a 2400-dpi scan, a
 * 116-inch CCITT page): read in tiles of at most TILE_SIDE pixels a side at up to 300 dpi. A small
 * overview of the page decides where to cut (through the whitest rows and columns near each nominal
 * cut, so lines of text are not cut through) and which tiles to skip (no ink at all). Tiles are made
 * one at a time, so memory stays that of one tile plus the decoder's.
 */
import type { PageSource } from './image';
import type { PageOutcome } from './words';
import type { PageWord, PageWords } from './words';
import { wordsOnOriginal } from './words';

/** 4096 x 4096 = 16.8 MP, under the 20 MP tesseract is given at most (image.ts MAX_OCR_PIXELS). */
export const TILE_SIDE = 4096;

export interface Tile {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface TiledPage {
  kind: 'tiles';
  /** The whole page at `dpi`, in pixels. */
  width: number;
  height: number;
  dpi: number;
  tiles: Tile[];
  /** The pixels of one tile, made when asked. */
  tile(t: Tile): Promise<Extract<PageSource, { kind: 'sharp' }>>;
}

export interface Overview {
  /** 8-bit grey, one channel. */
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Cut positions along one axis: near every multiple of `side`, moved into white space. In the last
 * fifth of each tile it takes the middle of the widest run of lines without ink (a gap between
 * words or lines, not between two letters), or else the line with least ink.
 */
function cuts(total: number, side: number, inkAt: (i: number) => number, scale: number): number[] {
  const out = [0];
  let at = 0;
  const last = Math.max(0, Math.floor(total * scale) - 1);
  while (total - at > side) {
    const nominal = at + side;
    const from = Math.max(0, Math.floor((nominal - side / 5) * scale));
    const to = Math.min(last, Math.floor(nominal * scale));
    let best = to;
    let bestInk = Infinity;
    let runStart = -1;
    let bestRun = 0;
    for (let i = from; i <= to + 1; i++) {
      const ink = i <= to ? inkAt(i) : 1;
      if (i <= to && ink < bestInk && bestRun === 0) [best, bestInk] = [i, ink];
      if (ink === 0 && runStart < 0) runStart = i;
      if (ink !== 0 && runStart >= 0) {
        if (i - runStart > bestRun) [bestRun, best] = [i - runStart, Math.floor((runStart + i - 1) / 2)];
        runStart = -1;
      }
    }
    at = Math.min(nominal, Math.max(at + 1, Math.round(best / scale)));
    out.push(at);
  }
  out.push(total);
  return out;
}

/** Tiles covering a width x height page, cut through white space, blank ones left out. */
export function planTiles(o: Overview, width: number, height: number, side = TILE_SIDE): Tile[] {
  const sx = o.width / width;
  const sy = o.height / height;
  const dark = (v: number) => v < 160;
  const rowInk = new Int32Array(o.height);
  const colInk = new Int32Array(o.width);
  for (let y = 0; y < o.height; y++) {
    for (let x = 0; x < o.width; x++) {
      if (dark(o.data[y * o.width + x] as number)) {
        rowInk[y]!++;
        colInk[x]!++;
      }
    }
  }
  const ys = cuts(height, side, (i) => rowInk[i] ?? 0, sy);
  const xs = cuts(width, side, (i) => colInk[i] ?? 0, sx);
  const tiles: Tile[] = [];
  for (let r = 0; r + 1 < ys.length; r++) {
    for (let c = 0; c + 1 < xs.length; c++) {
      const t = { left: xs[c]!, top: ys[r]!, width: xs[c + 1]! - xs[c]!, height: ys[r + 1]! - ys[r]! };
      // Any dark overview pixel in the tile (one pixel of margin): it is read.
      const x0 = Math.max(0, Math.floor(t.left * sx) - 1);
      const x1 = Math.min(o.width, Math.ceil((t.left + t.width) * sx) + 1);
      const y0 = Math.max(0, Math.floor(t.top * sy) - 1);
      const y1 = Math.min(o.height, Math.ceil((t.top + t.height) * sy) + 1);
      let ink = false;
      for (let y = y0; y < y1 && !ink; y++) for (let x = x0; x < x1 && !ink; x++) ink = dark(o.data[y * o.width + x] as number);
      if (ink) tiles.push(t);
    }
  }
  return tiles;
}

/** Reads every tile and joins them: text in tile order, words placed on the whole page. */
export async function ocrTiles(
  page: TiledPage,
  ocr: (src: PageSource, withWords: boolean) => Promise<PageOutcome>,
  withWords = false,
): Promise<PageOutcome> {
  const texts: string[] = [];
  const words: PageWord[] = [];
  const confidences: number[] = [];
  for (const t of page.tiles) {
    const r = await ocr(await page.tile(t), withWords);
    if (r.text.trim()) texts.push(r.text);
    if (r.confidence !== null) confidences.push(r.confidence);
    if (r.words) {
      // Tile pixels may be scaled to what tesseract was given: back to page pixels.
      const k = t.width / r.words.original.width;
      for (const w of wordsOnOriginal(r.words)) {
        words.push({ ...w, start: { x: t.left + w.start.x * k, y: t.top + w.start.y * k }, end: { x: t.left + w.end.x * k, y: t.top + w.end.y * k }, size: w.size * k });
      }
    }
  }
  const text = texts.join('\n');
  const pw: PageWords | undefined = withWords
    ? { width: page.width, height: page.height, dpi: page.dpi, words, turns: [], original: { width: page.width, height: page.height } }
    : undefined;
  return { text, confidence: confidences.length ? confidences.reduce((a, b) => a + b, 0) / confidences.length : null, words: pw };
}

/**
 * Median height, in overview pixels, of the ink blobs (mostly characters) of an overview; null when
 * there are too few. Tells how big the text is, so a page of huge letters is read at a lower
 * resolution: tesseract reads letters ~20-60 pixels tall best, and letters 300 pixels tall badly.
 * Each pixel is visited a bounded number of times (as a seed, and from its neighbours).
 */
export function medianBlobHeight(o: Overview): number | null {
  const { width: w, height: h } = o;
  const seen = new Uint8Array(w * h);
  const stack = new Int32Array(w * h);
  const heights: number[] = [];
  for (let seed = 0; seed < seen.length; seed++) {
    if (seen[seed] || (o.data[seed] as number) >= 160) continue;
    let top = 0;
    stack[top++] = seed;
    seen[seed] = 1;
    let y0 = h;
    let y1 = -1;
    let n = 0;
    while (top) {
      const i = stack[--top] as number;
      n++;
      const x = i % w;
      const y = (i - x) / w;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (const j of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1]) {
        if (j >= 0 && !seen[j] && (o.data[j] as number) < 160) {
          seen[j] = 1;
          stack[top++] = j;
        }
      }
    }
    if (n >= 4) heights.push(y1 - y0 + 1);
  }
  if (heights.length < 5) return null;
  heights.sort((a, b) => a - b);
  return heights[Math.floor(heights.length / 2)] as number;
}
