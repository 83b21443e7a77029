/**
 * What a PDF page is made of, read from its content stream and resources (see pdf-objects.ts):
 * whether its text is only an invisible OCR layer, and whether it is one embedded image we can
 * decode natively.
 */
import type { PdfDict, PdfObjects, PdfValue } from './pdf-objects';
import { decodeStream, filters } from './pdf-objects';

export interface PageAnatomy {
  /** The page shows text only in render mode 3 or in GlyphLessFont (an OCR layer, e.g. OCRmyPDF's). */
  invisibleTextOnly: boolean;
  /** Largest image drawn, in pixels (for the decompression-bomb limit). */
  maxImagePixels: number;
  /** Set when the page draws exactly one image, JPEG-encoded, covering the page. */
  jpeg?: { bytes: Buffer; width: number; height: number };
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

export function pageAnatomy(objs: PdfObjects, pageRef: number, pageW: number, pageH: number): PageAnatomy | null {
  try {
    const page = objs.dict({ ref: pageRef });
    if (!page) return null;
    const resources = objs.dict(inherited(objs, page, '/Resources'));
    const contentsV = objs.get(page.dict.get('/Contents'));
    const parts = (Array.isArray(contentsV) ? contentsV : [contentsV]).map((c) => objs.dict(c)).filter((c): c is PdfDict => !!c);
    const content = Buffer.concat(parts.map((p) => decodeStream(p, objs))).toString('latin1');

    const textOps = (content.match(/(?:\)|>|\])\s*(?:Tj|TJ|'|")/g) ?? []).length;
    const modes = [...content.matchAll(/(?:^|\s)(\d)\s+Tr\b/g)].map((m) => Number(m[1]));
    const fonts = objs.dict(resources?.dict.get('/Font'));
    const fontNames = fonts ? [...fonts.dict.values()].map((f) => String(objs.dict(f)?.dict.get('/BaseFont') ?? '')) : [];
    const glyphless = fontNames.length > 0 && fontNames.every((n) => n.includes('GlyphLessFont'));
    const invisibleTextOnly = textOps > 0 && ((modes.length > 0 && modes.every((m) => m === 3)) || glyphless);

    const xobjects = objs.dict(resources?.dict.get('/XObject'));
    const drawn = [...content.matchAll(/\/([^\s/[\]<>()]+)\s+Do\b/g)].map((m) => m[1] as string);
    let maxImagePixels = 0;
    const images: PdfDict[] = [];
    for (const name of new Set(drawn)) {
      const x = objs.dict(xobjects?.dict.get('/' + name));
      if (!x) return null;
      if (x.dict.get('/Subtype') !== '/Image') return { invisibleTextOnly, maxImagePixels, jpeg: undefined }; // forms: leave to pdfjs
      const w = objs.get(x.dict.get('/Width'));
      const h = objs.get(x.dict.get('/Height'));
      if (typeof w === 'number' && typeof h === 'number') maxImagePixels = Math.max(maxImagePixels, w * h);
      images.push(x);
    }
    const anatomy: PageAnatomy = { invisibleTextOnly, maxImagePixels };
    const one = images.length === 1 && drawn.length === 1 ? images[0] : undefined;
    if (!one || objs.encrypted) return anatomy;
    const f = filters(one, objs);
    if (f[f.length - 1] !== '/DCTDecode' && f[f.length - 1] !== '/DCT') return anatomy;
    if (one.dict.get('/SMask') !== undefined || one.dict.get('/Decode') !== undefined || one.dict.get('/ImageMask') === true) return anatomy;
    const width = objs.get(one.dict.get('/Width')) as number;
    const height = objs.get(one.dict.get('/Height')) as number;
    // The image must fill the page (same aspect, either way round): otherwise the page has more
    // to it than the image and pdfjs renders it.
    const a = width / height;
    const p = pageW / pageH;
    if (Math.abs(a - p) / p > 0.02 && Math.abs(a - 1 / p) * p > 0.02) return anatomy;
    return { ...anatomy, jpeg: { bytes: decodeStream(one, objs, ['/DCTDecode', '/DCT']), width, height } };
  } catch {
    return null;
  }
}
