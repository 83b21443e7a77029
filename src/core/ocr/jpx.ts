/**
 * JPEG 2000 files (.jp2, .jpx, and bare .j2k/.j2c codestreams), read offline with the OpenJPEG
 * WebAssembly build that pdfjs-dist ships (wasm/openjpeg.wasm, BSD-2-Clause): sharp's prebuilt
 * libvips has no JPEG 2000 loader. pdfjs keeps its JPX decoder inside its worker module, so the
 * file is wrapped, unchanged, as the one /JPXDecode image of a one-page PDF and that page is
 * drawn at one pixel per image pixel. The header is read here only for the size and resolution.
 */
import type { PageSource } from './image';
import { DEFAULT_DPI, MAX_INPUT_PIXELS } from './image';
import { PdfWriter, num } from './pdf-writer';
import { OcrError } from './types';

export interface JpxInfo {
  width: number;
  height: number;
  /** Pixels per inch when the file says so (JP2 'res ' box). */
  dpi?: number;
}

const SIGNATURE = Buffer.from([0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]);

export function isJpx(b: Uint8Array): boolean {
  if (b.length >= 12 && SIGNATURE.equals(Buffer.from(b.buffer, b.byteOffset, 12))) return true;
  // A bare codestream: SOC marker then SIZ.
  return b[0] === 0xff && b[1] === 0x4f && b[2] === 0xff && b[3] === 0x51;
}

interface Box {
  type: string;
  start: number; // first content byte
  end: number; // one past the last content byte
}

/** The boxes in b[from, to): every step moves past one box header, so the loop always ends. */
function boxes(b: Buffer, from: number, to: number): Box[] {
  const out: Box[] = [];
  let at = from;
  while (at + 8 <= to) {
    let len = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    let head = 8;
    if (len === 1) {
      if (at + 16 > to) break;
      const big = b.readBigUInt64BE(at + 8);
      len = big > BigInt(to - at) ? to - at : Number(big);
      head = 16;
    } else if (len === 0) {
      len = to - at; // runs to the end
    }
    if (len < head || at + len > to) break;
    out.push({ type, start: at + head, end: at + len });
    at += len;
  }
  return out;
}

function siz(b: Buffer, at: number): { width: number; height: number } {
  // SOC (FF4F), SIZ (FF51), Lsiz, Rsiz, Xsiz, Ysiz, XOsiz, YOsiz
  if (at + 4 + 2 + 2 + 16 > b.length || b[at + 2] !== 0xff || b[at + 3] !== 0x51) throw new Error('no SIZ marker');
  const xs = b.readUInt32BE(at + 8);
  const ys = b.readUInt32BE(at + 12);
  const xo = b.readUInt32BE(at + 16);
  const yo = b.readUInt32BE(at + 20);
  return { width: xs - xo, height: ys - yo };
}

/** Size and resolution from the header; throws corrupt_file when there is none. */
export function jpxInfo(bytes: Buffer): JpxInfo {
  try {
    if (bytes[0] === 0xff) return siz(bytes, 0);
    const top = boxes(bytes, 0, bytes.length);
    const jp2h = top.find((x) => x.type === 'jp2h');
    const ihdr = jp2h && boxes(bytes, jp2h.start, jp2h.end).find((x) => x.type === 'ihdr');
    const jp2c = top.find((x) => x.type === 'jp2c');
    if (!jp2c) throw new Error('no codestream');
    // The codestream's own size is what the decoder allocates: it must agree with the header's.
    const { width, height } = siz(bytes, jp2c.start);
    if (ihdr && ihdr.end - ihdr.start >= 8 && (bytes.readUInt32BE(ihdr.start) !== height || bytes.readUInt32BE(ihdr.start + 4) !== width)) {
      throw new Error('image header and codestream disagree on the size');
    }
    const res = jp2h && boxes(bytes, jp2h.start, jp2h.end).find((x) => x.type === 'res ');
    const r = res && boxes(bytes, res.start, res.end);
    // Capture resolution (how it was scanned) first, then the display resolution.
    const box = r?.find((x) => x.type === 'resc') ?? r?.find((x) => x.type === 'resd');
    let dpi: number | undefined;
    if (box && box.end - box.start >= 10) {
      const vn = bytes.readUInt16BE(box.start);
      const vd = bytes.readUInt16BE(box.start + 2);
      const ve = bytes.readInt8(box.start + 8);
      const perMetre = vd ? (vn / vd) * 10 ** ve : 0;
      const d = Math.round(perMetre * 0.0254);
      if (d >= 50 && d <= 4800) dpi = d;
    }
    return { width, height, dpi };
  } catch (err) {
    throw new OcrError('corrupt_file', `JPEG 2000 image could not be read: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The JPEG 2000 bytes as the one image of a one-page PDF, one point per pixel at 300 dpi, so
 * pdfjs's 300-dpi rendering (pdf.ts) draws one pixel per image pixel.
 */
export function jpxAsPdf(bytes: Buffer, info: JpxInfo): Buffer {
  const w = new PdfWriter('1.5');
  const wPt = (info.width * 72) / DEFAULT_DPI;
  const hPt = (info.height * 72) / DEFAULT_DPI;
  const catalog = w.alloc();
  const pages = w.alloc();
  const page = w.alloc();
  const image = w.add(`<< /Type /XObject /Subtype /Image /Width ${info.width} /Height ${info.height} /Filter /JPXDecode >>`, bytes);
  const content = w.add('<< >>', Buffer.from(`q ${num(wPt)} 0 0 ${num(hPt)} 0 0 cm /Im0 Do Q`, 'latin1'));
  w.write(page, `<< /Type /Page /Parent ${pages} 0 R /MediaBox [0 0 ${num(wPt)} ${num(hPt)}] /Resources << /XObject << /Im0 ${image} 0 R >> >> /Contents ${content} 0 R >>`);
  w.write(pages, `<< /Type /Pages /Kids [${page} 0 R] /Count 1 >>`);
  w.write(catalog, `<< /Type /Catalog /Pages ${pages} 0 R >>`);
  return w.finish(catalog);
}

/** The one page of a JPEG 2000 file, decoded by pdfjs's OpenJPEG. */
export async function jpxPages(bytes: Buffer): Promise<PageSource[]> {
  const info = jpxInfo(bytes);
  if (!(info.width > 0 && info.height > 0)) throw new OcrError('corrupt_file', 'JPEG 2000 image has no size');
  if (info.width * info.height > MAX_INPUT_PIXELS) {
    throw new OcrError('too_large', `Image is ${info.width}x${info.height} pixels, above the limit`);
  }
  const { openPdf } = await import('./pdf');
  const { silentLogger } = await import('../logger');
  const doc = await openPdf(jpxAsPdf(bytes, info), { keepExistingText: false, alwaysImage: true, logger: silentLogger });
  try {
    const page = await doc.page(1);
    if (page.kind !== 'image' || page.source.kind !== 'sharp') throw new OcrError('corrupt_file', 'JPEG 2000 image could not be decoded');
    return [{ ...page.source, dpi: info.dpi ?? DEFAULT_DPI }];
  } finally {
    await doc.close();
  }
}
