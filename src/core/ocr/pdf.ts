/**
 * PDF pages for the engine: born-digital pages give their text layer (no OCR); scanned pages give
 * an image to OCR. A scanned page that is one embedded JPEG (or plain 8-bit Flate image) is decoded
 * natively by sharp (pdfjs decodes JPEG in JavaScript, ~5 s per A4 page); anything else is rendered
 * by pdfjs at 300 dpi.
 * pdfjs-dist 5.6.205 legacy build, in-process ("fake worker"), no fonts loaded into any DOM, no
 * eval, every resource from node_modules (never the network).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type { Logger } from '../logger';
import type { PageSource } from './image';
import { DEFAULT_DPI, MAX_INPUT_PIXELS, MAX_OCR_PIXELS } from './image';
import type { PageAnatomy } from './pdf-page';
import { pageAnatomy } from './pdf-page';
import { PdfObjects } from './pdf-objects';
import { ccittTiff } from './ccitt-tiff';
import { nativeTiledPage, pdfjsTiledPage } from './pdf-big';
import type { MixedRegion } from './pdf-mixed';
import { mixedRegions } from './pdf-mixed';
import type { TiledPage } from './tiles';
import { OcrError } from './types';

/** Where a page sits in PDF user space: its visible box (x0 y0 x1 y1) and /Rotate, and its object number. */
export interface PdfPageGeometry {
  view: [number, number, number, number];
  rotate: number;
  ref?: number;
}

export type PdfPage =
  | {
      kind: 'text';
      text: string;
      geometry?: PdfPageGeometry;
      /** Scanned images on a page with real text, to OCR as well (pdf-mixed.ts). */
      mixed?: { regions: MixedRegion[]; size: { width: number; height: number; dpi: number } };
    }
  | { kind: 'image'; source: PageSource; via: 'native' | 'pdfjs'; geometry?: PdfPageGeometry }
  /** Too big to read in one piece: read tile by tile (pdf-big.ts). */
  | { kind: 'tiles'; tiled: TiledPage; via: 'native' | 'pdfjs'; geometry?: PdfPageGeometry };

export interface PdfDoc {
  pageCount: number;
  page(n: number): Promise<PdfPage>;
  close(): Promise<void>;
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjsP: Promise<PdfJs> | null = null;
/**
 * Loaded on the first PDF only. The minified build, with its worker module imported first (it sets
 * globalThis.pdfjsWorker, which pdfjs uses in-process instead of spawning a worker): measured RSS
 * for loading pdfjs, plain node: +51 MB (pdf.mjs) vs +42 MB (min); under tsx, which transforms
 * and source-maps the 2 MB worker file: +361 MB vs +226 MB.
 */
const loadPdfJs = () =>
  (pdfjsP ??= (async () => {
    // @ts-expect-error -- the minified build ships without its own .d.mts; same API as pdf.worker.mjs
    await import('pdfjs-dist/legacy/build/pdf.worker.min.mjs');
    // @ts-expect-error -- the minified build ships without its own .d.mts; same API as pdf.mjs (typed as PdfJs)
    return (await import('pdfjs-dist/legacy/build/pdf.min.mjs')) as PdfJs;
  })());

const nodeRequire = createRequire(import.meta.url);
const PDFJS_DIR = dirname(nodeRequire.resolve('pdfjs-dist/package.json'));
const dirOf = (name: string) => join(PDFJS_DIR, name) + '/';

export interface OpenPdfOptions {
  keepExistingText: boolean;
  logger: Logger;
  password?: string;
  /** Decode single-JPEG scanned pages with sharp (default true; false forces pdfjs, for the bench). */
  nativeImages?: boolean;
  /** Every page as an image, text layer or not (searchable-PDF export re-renders all pages). */
  alwaysImage?: boolean;
  /** Look for scanned images on pages with a text layer, to OCR them too (default true). */
  mixedPages?: boolean;
}

export async function openPdf(bytes: Buffer, o: OpenPdfOptions): Promise<PdfDoc> {
  // Our object reader is an optimisation: a file it cannot read goes to pdfjs alone. A file that
  // is hostile to it (a bomb, or built to stall it) fails with the reader's kind.
  let objs: PdfObjects | OcrError | null | undefined;
  const objects = () => {
    if (objs === undefined) {
      try {
        objs = new PdfObjects(bytes);
      } catch (err) {
        objs = err instanceof OcrError ? err : null;
      }
    }
    if (objs instanceof OcrError) throw objs;
    return objs;
  };
  // Read first, so a bomb that our reader refuses is refused before pdfjs inflates it too.
  objects();

  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes), // a copy: pdfjs takes ownership of (and may detach) the buffer
    password: o.password,
    standardFontDataUrl: dirOf('standard_fonts'),
    cMapUrl: dirOf('cmaps'),
    cMapPacked: true,
    wasmUrl: dirOf('wasm'),
    iccUrl: dirOf('iccs'),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
    // pdfjs skips images above this many pixels instead of allocating them.
    maxImageSize: MAX_INPUT_PIXELS,
  });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => {});
    const name = (err as Error).name;
    if (name === 'PasswordException') throw new OcrError('password_protected', 'The PDF needs a password', { cause: err });
    throw new OcrError('corrupt_file', `The PDF could not be read: ${(err as Error).message}`, { cause: err });
  }
  return {
    pageCount: doc.numPages,
    async page(n) {
      let page: Awaited<ReturnType<typeof doc.getPage>>;
      try {
        page = await doc.getPage(n);
      } catch (err) {
        throw new OcrError('corrupt_file', `PDF page ${n} could not be read: ${(err as Error).message}`, { cause: err });
      }
      try {
        const [x0, y0, x1, y1] = page.view as [number, number, number, number];
        const geometry: PdfPageGeometry = { view: [x0, y0, x1, y1], rotate: ((page.rotate % 360) + 360) % 360, ref: page.ref?.num };
        const wPt = Math.abs(x1 - x0);
        const hPt = Math.abs(y1 - y0);
        const o2 = objects();
        const anatomy: PageAnatomy | null = o2 ? pageAnatomy(o2, page.ref?.num ?? -1, wPt, hPt) : null;
        const img = o.nativeImages !== false && !page.rotate ? anatomy?.image : undefined;
        // A huge image pdfjs cannot hold is read natively in tiles when it is one we can stream.
        if (anatomy && anatomy.maxImagePixels > MAX_INPUT_PIXELS && img?.kind !== 'jpeg' && img?.kind !== 'ccitt') {
          throw new OcrError('too_large', `PDF page ${n} holds an image of ${Math.round(anatomy.maxImagePixels / 1e6)} MP, above the limit`);
        }
        const text = o.alwaysImage ? '' : await textLayer(page);
        if (!o.alwaysImage && text.trim() && (o.keepExistingText || !anatomy?.invisibleTextOnly)) {
          // Only pages that draw images are looked at (no operator list for plain text pages).
          const mixed = anatomy?.maxImagePixels !== 0 && o.mixedPages !== false ? await mixedRegions(page as never, pdfjs.OPS) : null;
          return { kind: 'text', text, geometry, ...(mixed?.regions.length ? { mixed } : {}) };
        }

        // The image fills the page (checked), either way round: its long side spans the long side.
        const imageDpi = img ? Math.max(img.width, img.height) / (Math.max(wPt, hPt) / 72) : 0;
        const readPx = (d: number) => ((wPt / 72) * d * (hPt / 72) * d);
        // Natively, in tiles (one when it fits): pages too big to read whole, images beyond the
        // 100 MP decode limit (a 2400-dpi scan), and big fax images pdfjs would expand to RGBA.
        const pixels = img ? img.width * img.height : 0;
        if (img && (readPx(Math.min(DEFAULT_DPI, imageDpi)) > MAX_OCR_PIXELS || pixels > MAX_INPUT_PIXELS || (img.kind === 'ccitt' && pixels > MAX_OCR_PIXELS))) {
          return { kind: 'tiles', via: 'native', tiled: await nativeTiledPage(img, wPt, hPt), geometry };
        }
        if (!img && readPx(DEFAULT_DPI) > MAX_OCR_PIXELS) {
          return { kind: 'tiles', via: 'pdfjs', tiled: await pdfjsTiledPage(page, wPt, hPt), geometry };
        }
        if (anatomy?.image && img?.kind !== 'ccitt' && o.nativeImages !== false) {
          const img = anatomy.image;
          const dpi = Math.round(Math.max(img.width, img.height) / (Math.max(wPt, hPt) / 72));
          const rotate = page.rotate;
          return {
            kind: 'image',
            via: 'native',
            geometry,
            source: {
              kind: 'sharp',
              dpi,
              make: () => {
                const s =
                  img.kind === 'jpeg'
                    ? sharp(img.bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
                    : img.kind === 'raw'
                      ? sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels }, limitInputPixels: MAX_INPUT_PIXELS })
                      : sharp(ccittTiff(img.bytes, { ...img }), { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
                return rotate ? s.rotate(rotate) : s;
              },
            },
          };
        }
        return { kind: 'image', via: 'pdfjs', source: await renderWithPdfjs(page, wPt, hPt), geometry };
      } catch (err) {
        throw pageError(err, n);
      } finally {
        page.cleanup();
      }
    },
    async close() {
      await doc.destroy().catch(() => {});
    },
  };
}

/**
 * pdfjs throws its own exceptions (UnknownErrorException "Bad encoding in flate stream", FormatError,
 * "Bad XRef entry") for damaged content met while reading a page's text or rendering it. Found by
 * the fuzz test: left unclassified they reached the queue as engine_error and were retried for
 * nothing. They are the file's fault: corrupt_file. An allocation failure is out_of_memory.
 */
function pageError(err: unknown, n: number): OcrError {
  if (err instanceof OcrError) return err;
  const msg = (err as Error)?.message ?? String(err);
  if (/allocation failed|out of memory/i.test(msg)) return new OcrError('out_of_memory', `PDF page ${n}: ${msg}`, { cause: err });
  return new OcrError('corrupt_file', `PDF page ${n} could not be read: ${msg}`, { cause: err });
}

async function textLayer(page: { getTextContent(): Promise<{ items: unknown[] }> }): Promise<string> {
  const content = await page.getTextContent();
  let out = '';
  for (const it of content.items as { str?: string; hasEOL?: boolean }[]) {
    if (typeof it.str !== 'string') continue; // marked-content markers
    out += it.str;
    if (it.hasEOL) out += '\n';
  }
  return out
    .split('\n')
    .map((l) => l.replace(/\s+$/u, ''))
    .join('\n')
    .trim();
}

/** The lowest resolution worth OCRing a rendered page at. */
export const MIN_RENDER_DPI = 100;

type PdfPageProxy = Awaited<ReturnType<Awaited<ReturnType<PdfJs['getDocument']>['promise']>['getPage']>>;

async function renderWithPdfjs(page: PdfPageProxy, wPt: number, hPt: number): Promise<PageSource> {
  // 300 dpi, less for pages larger than tesseract is given anyway (a huge page, not a bomb).
  let scale = DEFAULT_DPI / 72;
  const px = wPt * hPt * scale * scale;
  // Below ~100 dpi text is unreadable even at the 100 MP input limit: a page that large (over
  // ~100 x 100 inches) would cost a huge render and a minute of OCR for nothing.
  const dpiAtInputLimit = 72 * scale * Math.min(1, Math.sqrt(MAX_INPUT_PIXELS / px));
  if (dpiAtInputLimit < MIN_RENDER_DPI) {
    throw new OcrError(
      'too_large',
      `PDF page is ${Math.round(wPt / 72)} x ${Math.round(hPt / 72)} inches, too large to read at ${MIN_RENDER_DPI} dpi or more`,
    );
  }
  if (px > MAX_OCR_PIXELS) scale *= Math.sqrt(MAX_OCR_PIXELS / px);
  const viewport = page.getViewport({ scale });
  const w = Math.ceil(viewport.width);
  const h = Math.ceil(viewport.height);
  const { createCanvas } = nodeRequire('@napi-rs/canvas') as typeof import('@napi-rs/canvas');
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, w, h);
  // pdfjs types the DOM canvas; @napi-rs/canvas is what its Node build uses itself.
  await page.render({ canvas, canvasContext: ctx, viewport } as never).promise;
  const rgba = Buffer.from(ctx.getImageData(0, 0, w, h).data.buffer);
  return {
    kind: 'sharp',
    dpi: Math.round(scale * 72),
    make: () => sharp(rgba, { raw: { width: w, height: h, channels: 4 }, limitInputPixels: MAX_INPUT_PIXELS }),
  };
}
