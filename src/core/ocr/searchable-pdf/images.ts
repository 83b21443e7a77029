/**
 * A page image of an image file as a PDF image XObject, kept as it was: JPEG and JPEG 2000 bytes
 * pass through untouched (DCTDecode, JPXDecode) and are drawn with the file's EXIF orientation;
 * everything else is decoded at its full resolution and stored losslessly (Flate, PNG "Up"
 * predictor; 1 bit per pixel for black-and-white pages; alpha as a soft mask), in colour when it is.
 */
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { PageSource } from '../image';
import { DEFAULT_DPI, MAX_INPUT_PIXELS } from '../image';
import type { JpxInfo } from '../jpx';
import type { PdfWriter } from '../pdf-writer';
import { num } from '../pdf-writer';
import { OcrError } from '../types';

export interface PlacedImage {
  /** Object number of the image XObject. */
  xobject: number;
  /** EXIF orientation to apply to the stored samples (1 = as stored). */
  orientation: number;
  /** Size in points of the image the right way up (EXIF applied), at its resolution. */
  widthPt: number;
  heightPt: number;
}

/** Display position (X right, Y down, both 0..1) of stored sample (s, t), per EXIF orientation. */
function orient(o: number, s: number, t: number): [number, number] {
  switch (o) {
    case 2: return [1 - s, t];
    case 3: return [1 - s, 1 - t];
    case 4: return [s, 1 - t];
    case 5: return [t, s];
    case 6: return [1 - t, s];
    case 7: return [1 - t, 1 - s];
    case 8: return [t, 1 - s];
    default: return [s, t];
  }
}

/**
 * Operators drawing the image as /Im0: `toPage` takes a point of the upright image (X right, Y
 * down, both 0..1) to page space; the stored samples are first turned per EXIF orientation.
 */
export function placement(o: number, toPage: (X: number, Y: number) => { x: number; y: number }): string {
  // Unit square (a, b) shows stored sample s = a, t = 1 - b. All maps are affine: three points fix it.
  const at = (a: number, b: number) => {
    const [X, Y] = orient(o, a, 1 - b);
    return toPage(X, Y);
  };
  const o0 = at(0, 0);
  const ax = at(1, 0);
  const cy = at(0, 1);
  return `q ${num(ax.x - o0.x)} ${num(ax.y - o0.y)} ${num(cy.x - o0.x)} ${num(cy.y - o0.y)} ${num(o0.x)} ${num(o0.y)} cm /Im0 Do Q\n`;
}

const pageSize = (w: number, h: number, dpi: number) => ({ widthPt: (w * 72) / dpi, heightPt: (h * 72) / dpi });

function goodDpi(d: number | undefined): number {
  return d && d >= 50 && d <= 4800 ? d : DEFAULT_DPI;
}

/** A JPEG file's bytes as they are. Null when PDF readers would show it differently (CMYK). */
export async function embedJpeg(w: PdfWriter, bytes: Buffer): Promise<PlacedImage | null> {
  const meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  const cs = meta.channels === 1 ? '/DeviceGray' : meta.channels === 3 && meta.space !== 'cmyk' ? '/DeviceRGB' : null;
  if (!cs || !width || !height) return null;
  const o = meta.orientation ?? 1;
  const dpi = meta.density && !(meta.density === 72 && !meta.resolutionUnit) ? goodDpi(meta.density) : DEFAULT_DPI;
  const turned = o >= 5;
  const size = pageSize(turned ? height : width, turned ? width : height, dpi);
  const xobject = w.add(`<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace ${cs} /BitsPerComponent 8 /Filter /DCTDecode >>`, bytes);
  return { xobject, orientation: o, ...size };
}

/** A JPEG 2000 file's bytes as they are (PDF readers decode JPXDecode themselves). */
export function embedJpx(w: PdfWriter, bytes: Buffer, info: JpxInfo): PlacedImage {
  const size = pageSize(info.width, info.height, info.dpi ?? DEFAULT_DPI);
  const xobject = w.add(`<< /Type /XObject /Subtype /Image /Width ${info.width} /Height ${info.height} /Filter /JPXDecode >>`, bytes);
  return { xobject, orientation: 1, ...size };
}

/** PNG "Up" filter on every row, for Flate with /Predictor 15. */
function upFiltered(data: Buffer, rowBytes: number, rows: number): Buffer {
  const out = Buffer.alloc((rowBytes + 1) * rows);
  for (let y = 0; y < rows; y++) {
    out[y * (rowBytes + 1)] = 2;
    const row = y * rowBytes;
    for (let x = 0; x < rowBytes; x++) out[y * (rowBytes + 1) + 1 + x] = ((data[row + x] as number) - (y ? (data[row - rowBytes + x] as number) : 0)) & 0xff;
  }
  return out;
}

function flate(w: PdfWriter, data: Buffer, width: number, height: number, channels: 1 | 3, extra = ''): number {
  const cs = channels === 1 ? '/DeviceGray' : '/DeviceRGB';
  const stream = deflateSync(upFiltered(data, width * channels, height));
  return w.add(
    `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace ${cs} /BitsPerComponent 8 /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors ${channels} /Columns ${width} /BitsPerComponent 8 >>${extra} >>`,
    stream,
  );
}

/** Black-and-white pixels (only 0 and 255) packed 8 to a byte. Null when any other grey occurs. */
function bilevel(grey: Buffer, width: number, height: number): Buffer | null {
  const rowBytes = Math.ceil(width / 8);
  const out = Buffer.alloc(rowBytes * height, 0xff);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = grey[y * width + x] as number;
      if (v !== 0 && v !== 255) return null;
      if (v === 0) out[y * rowBytes + (x >> 3)]! &= ~(0x80 >> (x & 7));
    }
  }
  return out;
}

/** Any other page: its full-resolution pixels (orientation applied), stored losslessly. */
export async function embedPixels(w: PdfWriter, src: Extract<PageSource, { kind: 'sharp' }>): Promise<PlacedImage> {
  try {
    const meta = await src.make().metadata();
    // As renderPage decides it: 72 without a unit means "not stated".
    let dpi = src.dpi ?? meta.density;
    if (!dpi || (dpi === 72 && !meta.resolutionUnit && src.dpi === undefined)) dpi = DEFAULT_DPI;
    dpi = goodDpi(dpi);
    const { data, info } = await src.make().rotate().toColourspace(meta.channels === 1 || meta.channels === 2 ? 'b-w' : 'srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const { width, height, channels } = info;
    let colour = channels >= 3 ? 3 : 1;
    // A grey page stored as RGB (palette PNGs, many scanners) stays grey: a third of the size.
    if (colour === 3) {
      let grey = true;
      for (let i = 0; grey && i < width * height; i++) {
        const r = data[i * channels];
        grey = r === data[i * channels + 1] && r === data[i * channels + 2];
      }
      if (grey) colour = 1;
    }
    const hasAlpha = channels === 2 || channels === 4;
    const px = Buffer.alloc(width * height * colour);
    const alpha = hasAlpha ? Buffer.alloc(width * height) : null;
    let opaque = true;
    for (let i = 0, j = 0; i < width * height; i++) {
      for (let c = 0; c < colour; c++) px[j++] = data[i * channels + c] as number;
      if (alpha) {
        const a = data[i * channels + channels - 1] as number;
        alpha[i] = a;
        if (a !== 255) opaque = false;
      }
    }
    let smask = '';
    if (alpha && !opaque) smask = ` /SMask ${flate(w, alpha, width, height, 1)} 0 R`;
    const bits = colour === 1 && !smask ? bilevel(px, width, height) : null;
    const xobject = bits
      ? w.add(`<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /FlateDecode >>`, deflateSync(bits))
      : flate(w, px, width, height, colour as 1 | 3, smask);
    return { xobject, orientation: 1, ...pageSize(width, height, dpi) };
  } catch (err) {
    if (err instanceof OcrError) throw err;
    throw new OcrError('corrupt_file', `Image could not be decoded: ${(err as Error).message}`, { cause: err });
  }
}
