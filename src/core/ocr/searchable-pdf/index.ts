/**
 * A searchable PDF of one input file, made from its bytes alone (no database, no other state):
 * - image files: each page's image kept as it was (JPEG/JPEG 2000 bytes passed through, others
 *   lossless at full resolution, in colour), with an invisible text layer whose words sit on the
 *   image's words (tesseract's word boxes, mapped back through deskew and orientation turns);
 * - PDFs: every page copied from the source as it is; pages with real text are left untouched,
 *   scanned pages get the text layer on top, pages whose only text is an earlier invisible OCR
 *   layer get theirs replaced (unless keepExistingText). A PDF whose objects cannot be copied
 *   (encrypted, damaged) is laid out from pages rendered by pdfjs, losslessly, with the layer.
 * The result is checked by opening it with pdfjs; a copy that does not open falls back to the
 * rendered layout. Starts its own tesseract worker: run it in a worker process.
 */
import type { Logger } from '../../logger';
import { silentLogger } from '../../logger';
import { DEFAULT_DPI } from '../image';
import { jpxInfo } from '../jpx';
import type { PdfPage, PdfPageGeometry } from '../pdf';
import { openPdf } from '../pdf';
import { PdfObjects } from '../pdf-objects';
import { pageAnatomy } from '../pdf-page';
import { PdfWriter, num } from '../pdf-writer';
import { sniffFormat } from '../sniff';
import { filePages } from '../sources';
import type { TesseractEngineDeps } from '../tesseract';
import { startTesseract } from '../tesseract';
import type { OcrEngineOptions } from '../types';
import { OcrError } from '../types';
import type { PageWords, Point } from '../words';
import { turn } from '../words';
import { PageCopier } from './copy';
import type { PlacedImage } from './images';
import { embedJpeg, embedJpx, embedPixels, placement } from './images';
import { FONT_NAME, textLayer, writeGlyphLessFont } from './text-layer';
import { ocrTiles } from '../tiles';
import { ocrRegions } from '../pdf-mixed';

export interface SearchablePdfOptions extends OcrEngineOptions {
  onProgress?: (page: number, pages: number) => void;
  /** OCR languages for this file when not the engine default ('deu+eng'). */
  jobLanguages?: string;
  logger?: Logger;
}

type Reader = Pick<Awaited<ReturnType<typeof startTesseract>>, 'ocrSource' | 'close'>;

/** Tesseract started on the first page that needs OCR: a born-digital PDF starts none. */
function lazyReader(start: () => ReturnType<typeof startTesseract>): Reader {
  let started: ReturnType<typeof startTesseract> | null = null;
  return {
    ocrSource: async (...args) => (await (started ??= start())).ocrSource(...args),
    close: async () => {
      if (started) await (await started).close();
    },
  };
}

/** Page-image pixels -> PDF user space for a page with this geometry (see PdfPageGeometry). */
export function pdfPageMapping(g: PdfPageGeometry, words: { width: number; height: number }): (p: Point) => Point {
  const [x0, y0, x1, y1] = g.view;
  return (p) => {
    const X = p.x / words.width;
    const Y = p.y / words.height;
    // (u, v): position on the unrotated page, u rightwards, v downwards, both 0..1.
    let u = X;
    let v = Y;
    if (g.rotate === 90) [u, v] = [Y, 1 - X];
    else if (g.rotate === 180) [u, v] = [1 - X, 1 - Y];
    else if (g.rotate === 270) [u, v] = [1 - Y, X];
    return { x: x0 + u * (x1 - x0), y: y1 - v * (y1 - y0) };
  };
}

/**
 * A page for an image: shown the way it was read (straightened, turned upright: the image itself
 * is untouched, only where it is drawn changes), with the words level over it, so text extraction
 * and selection work as on a straight page.
 */
/** Page-image pixels of a PDF page, back from user space: the inverse of pdfPageMapping. */
function userToPixels(g: PdfPageGeometry, img: { width: number; height: number }): (p: Point) => Point {
  const [x0, y0, x1, y1] = g.view;
  return (p) => {
    const u = (p.x - x0) / (x1 - x0);
    const v = (y1 - p.y) / (y1 - y0);
    let X = u;
    let Y = v;
    if (g.rotate === 90) [X, Y] = [1 - v, u];
    else if (g.rotate === 180) [X, Y] = [1 - u, 1 - v];
    else if (g.rotate === 270) [X, Y] = [v, 1 - u];
    return { x: X * img.width, y: Y * img.height };
  };
}

/** The box and content transform that show a PDF page the way it was read (see copyPdf). */
function straightened(g: PdfPageGeometry, pw: PageWords) {
  const [x0, , x1] = g.view;
  const across = g.rotate === 90 || g.rotate === 270 ? pw.original.height : pw.original.width;
  const s = Math.abs(x1 - x0) / across; // points per pixel
  const W = pw.width * s;
  const H = pw.height * s;
  const toPage = (p: Point) => ({ x: p.x * s, y: H - p.y * s });
  const fromUser = userToPixels(g, pw.original);
  const map = (p: Point) => toPage(turn(fromUser(p), pw.turns));
  const o = map({ x: 0, y: 0 });
  const a = map({ x: 1, y: 0 });
  const c = map({ x: 0, y: 1 });
  const cm = `${num(a.x - o.x)} ${num(a.y - o.y)} ${num(c.x - o.x)} ${num(c.y - o.y)} ${num(o.x)} ${num(o.y)} cm`;
  return { toPage, reframe: { width: Number(num(W)), height: Number(num(H)), cm } };
}

function imagePage(w: PdfWriter, parent: number, font: number, img: PlacedImage, words: PageWords | undefined): number {
  const pw = words ?? { width: 1, height: 1, dpi: 72, words: [], turns: [], original: { width: 1, height: 1 } };
  // Points per pixel of the image that was read: the image's own size in points over its pixels.
  const s = img.widthPt / pw.original.width;
  const W = pw.width * s;
  const H = pw.height * s;
  const toPage = (p: Point) => ({ x: p.x * s, y: H - p.y * s });
  const draw = placement(img.orientation, (X, Y) => toPage(turn({ x: X * pw.original.width, y: Y * pw.original.height }, pw.turns)));
  const layer = textLayer(pw.words, toPage);
  const content = w.add('<< >>', Buffer.concat([Buffer.from(draw, 'latin1'), layer]));
  return w.add(
    `<< /Type /Page /Parent ${parent} 0 R /MediaBox [0 0 ${num(W)} ${num(H)}] /Resources << /XObject << /Im0 ${img.xobject} 0 R >> /Font << ${FONT_NAME} ${font} 0 R >> >> /Contents ${content} 0 R >>`,
  );
}

function finish(w: PdfWriter, pages: number, kids: number[]): Buffer {
  w.write(pages, `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`);
  const catalog = w.add(`<< /Type /Catalog /Pages ${pages} 0 R >>`);
  const info = w.add('<< /Producer (Quire) >>');
  return w.finish(catalog, info);
}

async function fromImageFile(bytes: Buffer, format: NonNullable<ReturnType<typeof sniffFormat>>, t: Reader, o: SearchablePdfOptions): Promise<Buffer> {
  const sources = await filePages(bytes, format as Exclude<typeof format, 'pdf'>);
  const w = new PdfWriter();
  const pages = w.alloc();
  const font = writeGlyphLessFont(w);
  const kids: number[] = [];
  for (let i = 0; i < sources.length; i++) {
    o.onProgress?.(i + 1, sources.length);
    const src = sources[i]!;
    if (src.kind !== 'sharp') throw new OcrError('unsupported_format', 'This image type cannot be exported as a searchable PDF');
    const r = await t.ocrSource(src, true, o.jobLanguages);
    let img: PlacedImage | null = null;
    if (format === 'jpeg' && sources.length === 1) img = await embedJpeg(w, bytes);
    else if (format === 'jp2') img = embedJpx(w, bytes, jpxInfo(bytes));
    img ??= await embedPixels(w, src);
    kids.push(imagePage(w, pages, font, img, r.words));
  }
  return finish(w, pages, kids);
}

/** Page object numbers in page order, from the catalog's page tree (null if it cannot be walked). */
function pageRefs(objs: PdfObjects): number[] | null {
  const catalog = objs.numbers().find((n) => objs.dict({ ref: n })?.dict.get('/Type') === '/Catalog');
  const root = catalog === undefined ? undefined : objs.dict({ ref: catalog })?.dict.get('/Pages');
  if (!root || typeof root !== 'object' || !('ref' in root)) return null;
  const out: number[] = [];
  const seen = new Set<number>();
  const walk = (ref: number, depth: number): boolean => {
    if (seen.has(ref) || depth > 64) return false;
    seen.add(ref);
    const d = objs.dict({ ref });
    if (!d) return false;
    if (d.dict.get('/Type') === '/Page') {
      out.push(ref);
      return true;
    }
    const kids = objs.get(d.dict.get('/Kids'));
    if (!Array.isArray(kids)) return false;
    return kids.every((k) => !!k && typeof k === 'object' && 'ref' in k && walk(k.ref, depth + 1));
  };
  return walk(root.ref, 0) ? out : null;
}

interface PdfPlan {
  page: PdfPage;
  words?: PageWords;
  /** The page's only text is an earlier invisible OCR layer, to be replaced. */
  replaceText: boolean;
}

/** Every page copied from the source; null when the source cannot be copied object by object. */
async function copyPdf(bytes: Buffer, plans: PdfPlan[]): Promise<Buffer | null> {
  let objs: PdfObjects;
  try {
    objs = new PdfObjects(bytes);
  } catch {
    return null;
  }
  if (objs.encrypted) return null;
  const refs = pageRefs(objs);
  if (!refs || refs.length !== plans.length) return null;
  const w = new PdfWriter();
  const pages = w.alloc();
  const font = writeGlyphLessFont(w);
  const out = new Map(refs.map((r) => [r, w.alloc()] as const));
  const copier = new PageCopier(objs, w, out);
  try {
    plans.forEach((plan, i) => {
      const ref = refs[i] as number;
      const g = plan.page.geometry;
      if (!plan.words || !g) return copier.copyPage(ref, out.get(ref)!, pages);
      if (!plan.words.turns.length) {
        const layer = textLayer(plan.words.words, pdfPageMapping(g, plan.words.original));
        return copier.copyPage(ref, out.get(ref)!, pages, { content: layer, font, stripText: plan.replaceText });
      }
      // A page read straightened (deskewed, turned upright) is shown that way: its content drawn
      // through the same turn onto a new box, the words level over it (tilted words would break
      // apart in text extraction).
      const f = straightened(g, plan.words);
      copier.copyPage(ref, out.get(ref)!, pages, { content: textLayer(plan.words.words, f.toPage), font, stripText: plan.replaceText, reframe: f.reframe });
    });
  } catch {
    return null;
  }
  return finish(w, pages, refs.map((r) => out.get(r)!));
}

/** The rendered layout: each page as its pdfjs rendering (lossless) with the text layer. */
async function renderPdf(bytes: Buffer, t: Reader, o: SearchablePdfOptions, known: (PageWords | undefined)[]): Promise<Buffer> {
  const doc = await openPdf(bytes, { keepExistingText: false, alwaysImage: true, logger: o.logger ?? silentLogger });
  try {
    const w = new PdfWriter();
    const pages = w.alloc();
    const font = writeGlyphLessFont(w);
    const kids: number[] = [];
    for (let n = 1; n <= doc.pageCount; n++) {
      const p = await doc.page(n);
      if (p.kind === 'tiles') throw new OcrError('too_large', `PDF page ${n} is too big to lay out as an image (its objects could not be copied)`);
      if (p.kind !== 'image' || p.source.kind !== 'sharp') throw new OcrError('corrupt_file', `PDF page ${n} could not be rendered`);
      const words = known[n - 1] ?? (await t.ocrSource(p.source, true, o.jobLanguages)).words;
      const img = await embedPixels(w, { ...p.source, dpi: p.source.dpi ?? DEFAULT_DPI });
      const g = p.geometry;
      if (g) {
        // The page keeps its size in points whatever resolution it was rendered at.
        const [x0, y0, x1, y1] = g.view;
        const turned = g.rotate === 90 || g.rotate === 270;
        img.widthPt = turned ? Math.abs(y1 - y0) : Math.abs(x1 - x0);
        img.heightPt = turned ? Math.abs(x1 - x0) : Math.abs(y1 - y0);
      }
      kids.push(imagePage(w, pages, font, img, words));
    }
    return finish(w, pages, kids);
  } finally {
    await doc.close();
  }
}

async function opensWithPages(pdf: Buffer, count: number): Promise<boolean> {
  try {
    const doc = await openPdf(pdf, { keepExistingText: true, logger: silentLogger });
    try {
      return doc.pageCount === count;
    } finally {
      await doc.close();
    }
  } catch {
    return false;
  }
}

async function fromPdf(bytes: Buffer, t: Reader, o: SearchablePdfOptions): Promise<Buffer> {
  const log = o.logger ?? silentLogger;
  const doc = await openPdf(bytes, { keepExistingText: o.keepExistingText, logger: log });
  const plans: PdfPlan[] = [];
  let objs: PdfObjects | null = null;
  try {
    objs = new PdfObjects(bytes);
  } catch {
    objs = null;
  }
  try {
    for (let n = 1; n <= doc.pageCount; n++) {
      o.onProgress?.(n, doc.pageCount);
      const page = await doc.page(n);
      if (page.kind === 'text') {
        // A mixed page keeps its text layer and gets the words of its scanned images that it lacks.
        const words = page.mixed && (await ocrRegions(page.mixed.regions, (src, w) => t.ocrSource(src, w, o.jobLanguages), page.mixed.size)).words;
        plans.push({ page, words: words && words.words.length ? words : undefined, replaceText: false });
        continue;
      }
      const r = page.kind === 'tiles' ? await ocrTiles(page.tiled, (src, words) => t.ocrSource(src, words, o.jobLanguages), true) : await t.ocrSource(page.source, true, o.jobLanguages);
      const g = page.geometry;
      const anatomy = objs && g?.ref !== undefined ? pageAnatomy(objs, g.ref, Math.abs(g.view[2] - g.view[0]), Math.abs(g.view[3] - g.view[1])) : null;
      plans.push({ page, words: r.words, replaceText: !!anatomy?.invisibleTextOnly });
    }
  } finally {
    await doc.close();
  }
  const copied = await copyPdf(bytes, plans);
  if (copied && (await opensWithPages(copied, plans.length))) return copied;
  log.warn('searchable PDF: the source could not be copied page by page; its pages are rendered instead');
  return renderPdf(
    bytes,
    t,
    o,
    plans.map((p) => (p.page.kind === 'image' && p.page.via === 'pdfjs' ? p.words : undefined)),
  );
}

export async function createSearchablePdf(bytes: Buffer, options: SearchablePdfOptions, deps: TesseractEngineDeps = {}): Promise<Buffer> {
  if (bytes.length === 0) throw new OcrError('corrupt_file', 'The file is empty');
  const format = sniffFormat(bytes);
  if (!format) throw new OcrError('unsupported_format', 'Not an image or PDF Quire can read');
  const t = lazyReader(() => startTesseract(options, { logger: options.logger, ...deps }));
  try {
    return format === 'pdf' ? await fromPdf(bytes, t, options) : await fromImageFile(bytes, format, t, options);
  } finally {
    await t.close();
  }
}
