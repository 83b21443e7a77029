/**
 * Image inputs to greyscale pages for tesseract. Everything sharp can read goes through sharp
 * (native libvips: fast, EXIF-aware, multi-page TIFF); BMP and PNM through our small decoders and
 * then sharp's raw input. Each page leaves as an 8-bit PGM: the cheapest buffer tesseract.js
 * accepts (no PNG encode/decode), with alpha flattened onto white (transparent backgrounds are
 * otherwise black to tesseract) and very high resolutions brought down to 300 dpi (measured in
 * bench/ocr.ts: LSTM accuracy does not improve above ~300 dpi, time grows with pixels).
 */
import sharp from 'sharp';
import { decodeBmp } from './bmp';
import { decodePnm } from './pnm';
import type { RawImage } from './raw-image';
import type { Format } from './sniff';
import { OcrError } from './types';

/** ~100 MP: covers A3 at 600 dpi; rejects decompression bombs before the big allocation. */
export const MAX_INPUT_PIXELS = 100_000_000;
export const DEFAULT_DPI = 300;
/** Above this, pages are downscaled to DEFAULT_DPI before OCR. */
export const DOWNSCALE_ABOVE_DPI = 400;
/**
 * Largest page handed to tesseract (A3 at 300 dpi is 17.4 MP). tesseract's WASM heap grows to fit
 * the largest page it has seen and never shrinks: one 81 MP page took a worker from ~280 MB to
 * ~700 MB RSS for the rest of its life (bench/ocr.ts). Bigger pages are scaled down to fit.
 */
export const MAX_OCR_PIXELS = 20_000_000;

export interface PageImage {
  /** 8-bit greyscale PGM (P5). */
  pgm: Buffer;
  width: number;
  height: number;
  dpi: number;
}

/** A decoded image not yet turned into a page: a sharp pipeline, or bytes tesseract reads itself. */
export type PageSource = { kind: 'sharp'; make: () => sharp.Sharp; dpi?: number } | { kind: 'native'; bytes: Buffer };

sharp.cache(false); // one page at a time: libvips' operation cache only holds memory here
sharp.concurrency(1); // one worker per core: libvips threads would fight tesseract for the core

export function sharpError(err: unknown): OcrError {
  const msg = (err as Error).message ?? String(err);
  if (/pixel limit/i.test(msg)) return new OcrError('too_large', `Image is larger than ${MAX_INPUT_PIXELS / 1e6} MP`, { cause: err });
  if (/unsupported image format/i.test(msg)) return new OcrError('unsupported_format', msg, { cause: err });
  return new OcrError('corrupt_file', `Image could not be decoded: ${msg}`, { cause: err });
}

function fromRaw(img: RawImage): PageSource {
  return {
    kind: 'sharp',
    dpi: img.dpi,
    make: () =>
      sharp(img.data, {
        raw: { width: img.width, height: img.height, channels: img.channels },
        limitInputPixels: MAX_INPUT_PIXELS,
      }),
  };
}

/** The pages of an image file, in order. */
export async function imagePages(bytes: Buffer, format: Exclude<Format, 'pdf' | 'jp2'>): Promise<PageSource[]> {
  if (format === 'bmp') {
    const raw = decodeBmp(bytes, MAX_INPUT_PIXELS);
    return [raw ? fromRaw(raw) : { kind: 'native', bytes }];
  }
  if (format === 'pnm') return [fromRaw(decodePnm(bytes, MAX_INPUT_PIXELS))];
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  } catch (err) {
    throw sharpError(err);
  }
  if ((meta.width ?? 0) * (meta.height ?? 0) > MAX_INPUT_PIXELS) {
    throw new OcrError('too_large', `Image is ${meta.width}x${meta.height} pixels, above the limit`);
  }
  // Only TIFF pages are document pages; GIF/WebP frames are animation.
  const count = format === 'tiff' ? Math.max(1, meta.pages ?? 1) : 1;
  return Array.from({ length: count }, (_, page) => ({
    kind: 'sharp' as const,
    dpi: undefined, // read per page below: TIFF pages may differ
    make: () => sharp(bytes, { page, limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }),
  }));
}

/**
 * The factor (<= 1) a page of `width` x `height` pixels at `dpi` is scaled by before OCR: down to
 * `targetDpi` when it is stated above `downscaleAboveDpi`, and further down to MAX_OCR_PIXELS.
 */
export function ocrScale(dpi: number, width: number, height: number, res: { downscaleAboveDpi: number; targetDpi: number }): number {
  let scale = dpi > res.downscaleAboveDpi ? res.targetDpi / dpi : 1;
  const px = width * height * scale * scale;
  if (px > MAX_OCR_PIXELS) scale *= Math.sqrt(MAX_OCR_PIXELS / px);
  return Math.min(1, scale);
}

/** Run a page through the common pipeline: orient, flatten, greyscale, resolution, PGM. */
export async function renderPage(
  src: Extract<PageSource, { kind: 'sharp' }>,
  res: { downscaleAboveDpi: number; targetDpi: number } = { downscaleAboveDpi: DOWNSCALE_ABOVE_DPI, targetDpi: DEFAULT_DPI },
): Promise<PageImage> {
  try {
    const meta = await src.make().metadata();
    // density is pixels per inch for most formats; files without one (or absurd ones) get 300.
    let dpi = src.dpi ?? meta.density;
    // libvips reports 72 when a PNG/JPEG states no resolution (a real 72 dpi file names its unit).
    if (!dpi || (dpi === 72 && !meta.resolutionUnit && src.dpi === undefined) || dpi < 50 || dpi > 4800) dpi = DEFAULT_DPI;
    let p = src.make().rotate(); // EXIF orientation
    if (meta.hasAlpha) p = p.flatten({ background: '#ffffff' });
    const oriented = (meta.orientation ?? 1) >= 5; // EXIF 5-8 swap width and height
    const w0 = (oriented ? meta.height : meta.width) ?? 0;
    const h0 = (oriented ? meta.width : meta.height) ?? 0;
    const scale = ocrScale(dpi, w0, h0, res);
    if (scale < 1) {
      p = p.resize({ width: Math.max(1, Math.round(w0 * scale)), kernel: 'lanczos3' });
      dpi = Math.round(dpi * scale);
    }
    const { data, info } = await p.toColourspace('b-w').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    // b-w can still come out with 2 channels when alpha survives; keep the first.
    const grey = info.channels === 1 ? data : pickChannel(data, info.channels);
    const header = Buffer.from(`P5\n${info.width} ${info.height}\n255\n`, 'latin1');
    return { pgm: Buffer.concat([header, grey]), width: info.width, height: info.height, dpi };
  } catch (err) {
    if (err instanceof OcrError) throw err;
    throw sharpError(err);
  }
}

function pickChannel(data: Buffer, channels: number): Buffer {
  const out = Buffer.alloc(data.length / channels);
  for (let i = 0; i < out.length; i++) out[i] = data[i * channels] ?? 255;
  return out;
}

/** Rotate a PGM page by 90/180/270 degrees (orientation correction after OSD). */
export async function rotatePage(page: PageImage, degrees: number): Promise<PageImage> {
  const { data, info } = await sharp(page.pgm.subarray(pgmHeaderLength(page.pgm)), {
    raw: { width: page.width, height: page.height, channels: 1 },
  })
    .rotate(degrees)
    .toColourspace('b-w')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const grey = info.channels === 1 ? data : pickChannel(data, info.channels);
  const header = Buffer.from(`P5\n${info.width} ${info.height}\n255\n`, 'latin1');
  return { pgm: Buffer.concat([header, grey]), width: info.width, height: info.height, dpi: page.dpi };
}

/**
 * A smaller copy for orientation detection: OSD looks at character shapes, not fine detail, and
 * on an A4 300 dpi page it took ~0.5 s at full size, ~0.25 s at 1000 px wide, with the same answers.
 */
export async function shrinkForOsd(page: PageImage, maxSide = 1600): Promise<PageImage> {
  const long = Math.max(page.width, page.height);
  if (long <= maxSide) return page;
  const scale = maxSide / long;
  const { data, info } = await sharp(page.pgm.subarray(pgmHeaderLength(page.pgm)), {
    raw: { width: page.width, height: page.height, channels: 1 },
  })
    .resize({ width: Math.max(1, Math.round(page.width * scale)) })
    .toColourspace('b-w')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const grey = info.channels === 1 ? data : pickChannel(data, info.channels);
  const header = Buffer.from(`P5\n${info.width} ${info.height}\n255\n`, 'latin1');
  return { pgm: Buffer.concat([header, grey]), width: info.width, height: info.height, dpi: Math.round(page.dpi * scale) };
}

function pgmHeaderLength(pgm: Buffer): number {
  let newlines = 0;
  for (let i = 0; i < pgm.length; i++) if (pgm[i] === 0x0a && ++newlines === 3) return i + 1;
  return 0;
}
