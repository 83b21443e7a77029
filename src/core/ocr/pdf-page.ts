/**
 * What a PDF page is made of, read from its content stream and resources (see pdf-objects.ts):
 * whether its text is only an invisible OCR layer, and whether it is one embedded image we can
 * decode natively.
 */
import { MAX_INPUT_PIXELS } from './image';
import { summariseContent } from './pdf-content';
import type { PdfDict, PdfObjects, PdfValue } from './pdf-objects';
import { decodeStream, filters } from './pdf-objects';
import { OcrError } from './types';

export interface PageAnatomy {
  /** The page shows text only in render mode 3 or in GlyphLessFont (an OCR layer, e.g. OCRmyPDF's). */
  invisibleTextOnly: boolean;
  /** Largest image drawn, in pixels (for the decompression-bomb limit). */
  maxImagePixels: number;
  /**
   * Set when the page draws exactly one image covering the page, in a form sharp reads: JPEG
   * bytes, or 8-bit grey/RGB pixels from a Flate stream (pdfjs inflates those in JavaScript and
   * holds several full-size copies: an 81 MP page took a worker past 1 GB).
   */
  image?:
    | { kind: 'jpeg'; bytes: Buffer; width: number; height: number }
    | { kind: 'raw'; data: Buffer; width: number; height: number; channels: 1 | 3 }
    /** A fax-coded 1-bit image (still coded), for pages too big for pdfjs: see pdf-big.ts. */
    | { kind: 'ccitt'; bytes: Buffer; width: number; height: number; k: number; encodedByteAlign: boolean; inverted: boolean };
}

function inherited(objs: PdfObjects, page: PdfDict, key: string): PdfValue | undefined {
  let d: PdfDict | undefined = page;
  for (let depth = 0; d && depth < 32; depth++) {
    const v = d.dict.get(key);
    if (v !== undefined) return objs.get(v);
    d = objs.dict(d.dict.get('/Parent'));
  }
  return undefined;
}

/**
 * Page content streams together may inflate to this much. Real pages measure kilobytes to a few MB
 * (dense vector maps tens); a 611 KB file used to inflate one page's content to 600 MB.
 */
export const MAX_CONTENT_BYTES = 64 * 1024 * 1024;

/**
 * The page's anatomy, or null when the reader cannot tell (pdfjs then does everything). Throws an
 * OcrError when the file itself is the problem: a stream that inflates past what the page can
 * need (too_large), a file that makes the reader work far past its size (corrupt_file).
 */
export function pageAnatomy(objs: PdfObjects, pageRef: number, pageW: number, pageH: number): PageAnatomy | null {
  try {
    return readPage(objs, pageRef, pageW, pageH);
  } catch (err) {
    if (err instanceof OcrError) throw err;
    return null;
  }
}

function readPage(objs: PdfObjects, pageRef: number, pageW: number, pageH: number): PageAnatomy | null {
  const page = objs.dict({ ref: pageRef });
  if (!page) return null;
  const resources = objs.dict(inherited(objs, page, '/Resources'));
  const contentsV = objs.get(page.dict.get('/Contents'));
  const parts = (Array.isArray(contentsV) ? contentsV : [contentsV]).map((c) => objs.dict(c)).filter((c): c is PdfDict => !!c);
  const decoded: Buffer[] = [];
  let left = MAX_CONTENT_BYTES;
  for (const p of parts) {
    const d = decodeStream(p, objs, left);
    left -= d.length;
    decoded.push(d);
  }
  const content = summariseContent(Buffer.concat(decoded));

  const modes = content.renderModes;
  const fonts = objs.dict(resources?.dict.get('/Font'));
  const fontNames = fonts ? [...fonts.dict.values()].map((f) => String(objs.dict(f)?.dict.get('/BaseFont') ?? '')) : [];
  const glyphless = fontNames.length > 0 && fontNames.every((n) => n.includes('GlyphLessFont'));
  const invisibleTextOnly = content.textOps > 0 && ((modes.length > 0 && modes.every((m) => m === 3)) || glyphless);

  const xobjects = objs.dict(resources?.dict.get('/XObject'));
  const drawn = content.drawn;
  let maxImagePixels = 0;
  const images: PdfDict[] = [];
  for (const name of new Set(drawn)) {
    const x = objs.dict(xobjects?.dict.get('/' + name));
    if (!x) return null;
    if (x.dict.get('/Subtype') !== '/Image') return { invisibleTextOnly, maxImagePixels }; // forms: leave to pdfjs
    const w = objs.get(x.dict.get('/Width'));
    const h = objs.get(x.dict.get('/Height'));
    if (typeof w === 'number' && typeof h === 'number') maxImagePixels = Math.max(maxImagePixels, w * h);
    images.push(x);
  }
  const anatomy: PageAnatomy = { invisibleTextOnly, maxImagePixels };
  const one = images.length === 1 && drawn.length === 1 ? images[0] : undefined;
  if (!one || objs.encrypted) return anatomy;
  // Only upright placements (positive scale, no rotation or mirroring): otherwise pdfjs draws it.
  for (const [a, b, c, d] of content.placements) {
    if (b !== 0 || c !== 0 || a <= 0 || d <= 0) return anatomy;
  }
  const f = filters(one, objs);
  const last = f[f.length - 1];
  const ccitt = last === '/CCITTFaxDecode' || last === '/CCF';
  // Above the pixel limit only a fax-coded page goes on (libvips decodes it natively, in tiles:
  // pdf-big.ts); anything else is refused by the caller (too_large) or left to pdfjs.
  if (maxImagePixels > MAX_INPUT_PIXELS && !ccitt) return anatomy;
  const decode = objs.get(one.dict.get('/Decode'));
  const inverted = Array.isArray(decode) && decode[0] === 1 && decode[1] === 0;
  if (one.dict.get('/SMask') !== undefined || one.dict.get('/ImageMask') === true) return anatomy;
  if (decode !== undefined && !(inverted && ccitt)) return anatomy;
  const width = objs.get(one.dict.get('/Width'));
  const height = objs.get(one.dict.get('/Height'));
  if (!isDimension(width) || !isDimension(height)) return anatomy;
  // The image must fill the page (same aspect, either way round): otherwise the page has more
  // to it than the image and pdfjs renders it.
  const a = width / height;
  const p = pageW / pageH;
  if (Math.abs(a - p) / p > 0.02 && Math.abs(a - 1 / p) * p > 0.02) return anatomy;
  if (last === '/DCTDecode' || last === '/DCT') {
    // A JPEG is smaller than its pixels at 4 bytes each (CMYK, the widest); more is not a JPEG.
    const bytes = boundedOrNull(() => decodeStream(one, objs, width * height * 4 + 1024 * 1024, ['/DCTDecode', '/DCT']));
    return bytes ? { ...anatomy, image: { kind: 'jpeg', bytes, width, height } } : anatomy;
  }
  if (ccitt) {
    const parmsV = one.dict.get('/DecodeParms');
    const parms = objs.dict(Array.isArray(parmsV) ? (parmsV as PdfValue[])[f.length - 1] : parmsV);
    const k = objs.get(parms?.dict.get('/K'));
    const columns = objs.get(parms?.dict.get('/Columns'));
    if ((columns ?? 1728) !== width) return anatomy;
    // A fax stream is smaller than its bits uncompressed (1 bit a pixel); more is not a fax image.
    const bytes = boundedOrNull(() => decodeStream(one, objs, Math.ceil((width * height) / 8) + 1024 * 1024, ['/CCITTFaxDecode', '/CCF']));
    if (!bytes) return anatomy;
    const encodedByteAlign = objs.get(parms?.dict.get('/EncodedByteAlign')) === true;
    const blackIs1 = objs.get(parms?.dict.get('/BlackIs1')) === true;
    // /BlackIs1 true and /Decode [1 0] each show the page inverted; together they cancel out.
    return { ...anatomy, image: { kind: 'ccitt', bytes, width, height, k: typeof k === 'number' ? k : 0, encodedByteAlign, inverted: inverted !== blackIs1 } };
  }
  const raw = flateImage(objs, one, f, width, height);
  return raw ? { ...anatomy, image: { kind: 'raw', ...raw } } : anatomy;
}

const isDimension = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/**
 * An image stream that inflates past what its declared size needs is left to pdfjs, which reads
 * only the bytes the image needs from it; here it would be held whole.
 */
function boundedOrNull(decode: () => Buffer): Buffer | null {
  try {
    return decode();
  } catch (err) {
    if (err instanceof OcrError && err.kind === 'too_large') return null;
    throw err;
  }
}

/** 8-bit DeviceGray/DeviceRGB Flate pixels (no predictor, or PNG predictors), else null. */
function flateImage(objs: PdfObjects, img: PdfDict, f: string[], width: number, height: number) {
  if (f.length !== 1 || (f[0] !== '/FlateDecode' && f[0] !== '/Fl')) return null;
  if (objs.get(img.dict.get('/BitsPerComponent')) !== 8) return null;
  const cs = objs.get(img.dict.get('/ColorSpace'));
  const channels = cs === '/DeviceGray' || cs === '/G' ? 1 : cs === '/DeviceRGB' || cs === '/RGB' ? 3 : 0;
  if (!channels) return null;
  const parms = objs.dict(img.dict.get('/DecodeParms'));
  const predictor = (objs.get(parms?.dict.get('/Predictor')) as number | undefined) ?? 1;
  if (predictor !== 1 && predictor < 10) return null; // TIFF predictor: leave to pdfjs
  const rowBytes = width * channels;
  // The pixels, plus a filter byte per row with a predictor, plus slack for encoders that pad.
  const need = (predictor === 1 ? rowBytes : rowBytes + 1) * height;
  const inflated = boundedOrNull(() => decodeStream(img, objs, need + Math.max(64 * 1024, need >> 4)));
  if (!inflated) return null;
  if (predictor === 1) return inflated.length >= rowBytes * height ? { data: inflated, width, height, channels: channels as 1 | 3 } : null;
  const data = unpredictPng(inflated, rowBytes, height, channels);
  return data ? { data, width, height, channels: channels as 1 | 3 } : null;
}

/** Undo PNG row filters (predictors 10-15) for 8-bit samples; null when the data is short. */
function unpredictPng(src: Buffer, rowBytes: number, height: number, bpp: number): Buffer | null {
  if (src.length < (rowBytes + 1) * height) return null;
  const out = Buffer.alloc(rowBytes * height);
  for (let y = 0; y < height; y++) {
    const type = src[y * (rowBytes + 1)];
    const inRow = y * (rowBytes + 1) + 1;
    const row = y * rowBytes;
    const prev = row - rowBytes;
    for (let x = 0; x < rowBytes; x++) {
      const raw = src[inRow + x] as number;
      const a = x >= bpp ? (out[row + x - bpp] as number) : 0;
      const b = y > 0 ? (out[prev + x] as number) : 0;
      const c = x >= bpp && y > 0 ? (out[prev + x - bpp] as number) : 0;
      let v = raw;
      if (type === 1) v = raw + a;
      else if (type === 2) v = raw + b;
      else if (type === 3) v = raw + ((a + b) >> 1);
      else if (type === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v = raw + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      out[row + x] = v & 0xff;
    }
  }
  return out;
}
