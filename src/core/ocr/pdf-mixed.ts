/**
 * Mixed PDF pages: a real text layer AND scanned images (a typed letter with a pasted-in scan, a
 * report with a photographed table). The text layer is kept as it is; each image region big enough
 * to hold print is rendered and OCR'd too, and only the words that do not lie on text the layer
 * already has are added (a caption over a picture is not read twice). Words tesseract is unsure of
 * (a photo's texture read as letters) are left out.
 */
import type { PageSource } from './image';
import { DEFAULT_DPI, MAX_OCR_PIXELS } from './image';
import { fromGrey, renderArea } from './pdf-big';
import type { PageOutcome } from './words';
import type { PageWord, PageWords } from './words';
import { wordBox, wordsOnOriginal } from './words';

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface MixedRegion {
  /** Where the image lies, in pixels of the page at `dpi` (y down). */
  box: Rect;
  dpi: number;
  /** The region rendered (text layer included, as the page shows it). */
  render(): Promise<Extract<PageSource, { kind: 'sharp' }>>;
  /** Boxes of the text layer's items, in the same pixels. */
  textBoxes: Rect[];
}

/** An image smaller than this (square inches on the page) holds no print worth reading. */
const MIN_REGION_SQ_IN = 1.5;
/** Words of an image region kept only at this tesseract confidence or better. */
const MIN_WORD_CONFIDENCE = 60;

type Matrix = [number, number, number, number, number, number];
const mul = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];

interface PdfjsLike {
  getOperatorList(): Promise<{ fnArray: number[]; argsArray: unknown[][] }>;
  getTextContent(): Promise<{ items: unknown[] }>;
  getViewport(o: { scale: number; offsetX?: number; offsetY?: number }): { width: number; height: number; transform: number[] };
}

/** Where the page paints images (user space -> page pixels at `scale`), from its operator list. */
export async function imageBoxes(page: PdfjsLike, ops: { save: number; restore: number; transform: number; paintImageXObject: number; paintInlineImageXObject: number; paintImageXObjectRepeat: number; paintFormXObjectBegin: number; paintFormXObjectEnd: number }, scale: number): Promise<Rect[]> {
  const list = await page.getOperatorList();
  const vp = page.getViewport({ scale }).transform as Matrix;
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  const out: Rect[] = [];
  for (let i = 0; i < list.fnArray.length; i++) {
    const fn = list.fnArray[i];
    const args = list.argsArray[i] ?? [];
    if (fn === ops.save) stack.push(ctm);
    else if (fn === ops.restore) ctm = stack.pop() ?? ctm;
    else if (fn === ops.transform) ctm = mul(args as Matrix, ctm);
    else if (fn === ops.paintFormXObjectBegin) {
      stack.push(ctm);
      if (Array.isArray(args[0]) && args[0].length === 6) ctm = mul(args[0] as Matrix, ctm);
    } else if (fn === ops.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (fn === ops.paintImageXObject || fn === ops.paintInlineImageXObject || fn === ops.paintImageXObjectRepeat) {
      const m = mul(ctm, vp);
      const pts = [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ].map(([x, y]) => [m[0] * x! + m[2] * y! + m[4], m[1] * x! + m[3] * y! + m[5]] as const);
      out.push({ x0: Math.min(...pts.map((p) => p[0])), y0: Math.min(...pts.map((p) => p[1])), x1: Math.max(...pts.map((p) => p[0])), y1: Math.max(...pts.map((p) => p[1])) });
    }
  }
  return out;
}

/** The boxes of the text layer's items, in page pixels at `scale`. */
export async function textItemBoxes(page: PdfjsLike, scale: number): Promise<Rect[]> {
  const vp = page.getViewport({ scale }).transform as Matrix;
  const content = await page.getTextContent();
  const out: Rect[] = [];
  for (const it of content.items as { str?: string; transform?: number[]; width?: number; height?: number }[]) {
    if (!it.str?.trim() || !it.transform) continue;
    const t = it.transform as Matrix;
    const h = it.height || Math.hypot(t[2], t[3]);
    const w = it.width ?? 0;
    // The item runs along its baseline from (e, f): width w, height h above (user space).
    const m = mul([1, 0, 0, 1, t[4], t[5]], vp);
    const pts = [
      [0, 0],
      [w, 0],
      [0, h],
      [w, h],
    ].map(([x, y]) => [m[0] * x! + m[2] * y! + m[4], m[1] * x! + m[3] * y! + m[5]] as const);
    out.push({ x0: Math.min(...pts.map((p) => p[0])), y0: Math.min(...pts.map((p) => p[1])), x1: Math.max(...pts.map((p) => p[0])), y1: Math.max(...pts.map((p) => p[1])) });
  }
  return out;
}

/** The image regions of a text page worth reading, clipped to the page, in page pixels at 300 dpi. */
export function readableRegions(images: Rect[], width: number, height: number, dpi = DEFAULT_DPI): Rect[] {
  const minArea = MIN_REGION_SQ_IN * dpi * dpi;
  const clipped = images
    .map((r) => ({ x0: Math.max(0, r.x0), y0: Math.max(0, r.y0), x1: Math.min(width, r.x1), y1: Math.min(height, r.y1) }))
    .filter((r) => (r.x1 - r.x0) * (r.y1 - r.y0) >= minArea && (r.x1 - r.x0) * (r.y1 - r.y0) <= MAX_OCR_PIXELS);
  // Overlapping images (tiles of one scan) are read once, as their union.
  const merged: Rect[] = [];
  for (const r of clipped) {
    const o = merged.find((m) => r.x0 < m.x1 && m.x0 < r.x1 && r.y0 < m.y1 && m.y0 < r.y1);
    if (o) Object.assign(o, { x0: Math.min(o.x0, r.x0), y0: Math.min(o.y0, r.y0), x1: Math.max(o.x1, r.x1), y1: Math.max(o.y1, r.y1) });
    else merged.push({ ...r });
  }
  return merged.map((r) => ({ x0: Math.floor(r.x0), y0: Math.floor(r.y0), x1: Math.ceil(r.x1), y1: Math.ceil(r.y1) }));
}

const overlaps = (a: Rect, b: Rect) => {
  const ix = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const iy = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  if (ix <= 0 || iy <= 0) return false;
  // Counted as the same text when the overlap covers half the smaller of the two.
  const smaller = Math.min((a.x1 - a.x0) * (a.y1 - a.y0), (b.x1 - b.x0) * (b.y1 - b.y0));
  return ix * iy >= smaller * 0.5;
};

/** OCR of a mixed page's image regions: new words only, placed on the page (pixels at the regions' dpi). */
export async function ocrRegions(
  regions: MixedRegion[],
  ocr: (src: PageSource, withWords: boolean) => Promise<PageOutcome>,
  page: { width: number; height: number; dpi: number },
): Promise<{ text: string; words: PageWords }> {
  const lines: string[] = [];
  const words: PageWord[] = [];
  for (const region of regions) {
    const r = await ocr(await region.render(), true);
    if (!r.words) continue;
    const k = (region.box.x1 - region.box.x0) / r.words.original.width;
    const placed = wordsOnOriginal(r.words).map((w) => ({
      ...w,
      start: { x: region.box.x0 + w.start.x * k, y: region.box.y0 + w.start.y * k },
      end: { x: region.box.x0 + w.end.x * k, y: region.box.y0 + w.end.y * k },
      size: w.size * k,
    }));
    let line: string[] = [];
    for (const w of placed) {
      const keep = w.confidence >= MIN_WORD_CONFIDENCE && /[\p{L}\p{N}]/u.test(w.text) && !region.textBoxes.some((t) => overlaps(wordBox(w), t));
      if (keep) {
        words.push(w);
        line.push(w.text);
      }
      if (w.lineEnd) {
        if (words.length && line.length) words[words.length - 1] = { ...(words[words.length - 1] as PageWord), lineEnd: true };
        if (line.length) lines.push(line.join(' '));
        line = [];
      }
    }
  }
  return { text: lines.join('\n'), words: { width: page.width, height: page.height, dpi: page.dpi, words, turns: [], original: { width: page.width, height: page.height } } };
}

type Ops = Parameters<typeof imageBoxes>[1];

/** The readable image regions of a page that has a real text layer; [] for most pages. */
export async function mixedRegions(page: PdfjsLike & Parameters<typeof renderArea>[0], ops: Ops): Promise<{ regions: MixedRegion[]; size: { width: number; height: number; dpi: number } }> {
  const dpi = DEFAULT_DPI;
  const scale = dpi / 72;
  const vp = page.getViewport({ scale });
  const size = { width: Math.ceil(vp.width), height: Math.ceil(vp.height), dpi };
  const rects = readableRegions(await imageBoxes(page, ops, scale), size.width, size.height, dpi);
  if (!rects.length) return { regions: [], size };
  const textBoxes = await textItemBoxes(page, scale);
  const regions = rects.map((box) => ({
    box,
    dpi,
    textBoxes,
    render: async () => fromGrey(await renderArea(page, scale, { left: box.x0, top: box.y0, width: box.x1 - box.x0, height: box.y1 - box.y0 }), dpi),
  }));
  return { regions, size };
}
