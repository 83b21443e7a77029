/**
 * Mutations that know a PDF's syntax, for the fuzz targets: the damage byte flips rarely reach
 * (an unterminated string, dictionary or array; an xref offset into the middle of a token; an xref
 * chain that points at itself; a /Length that lies; a stream replaced by a deflate bomb), and
 * hand-built hostile PDFs the issue found.
 */
import { deflateRawSync } from 'node:zlib';

export type PdfMutation =
  | 'open-string'
  | 'open-hex'
  | 'open-dict'
  | 'open-array'
  | 'xref-mid-token'
  | 'xref-self'
  | 'huge-length'
  | 'self-length'
  | 'bomb'
  | 'open-hex-at-end';

export const PDF_MUTATIONS: readonly PdfMutation[] = [
  'open-string',
  'open-hex',
  'open-dict',
  'open-array',
  'xref-mid-token',
  'xref-self',
  'huge-length',
  'self-length',
  'bomb',
  'open-hex-at-end',
];

const latin1 = (b: Buffer) => b.toString('latin1');
const bytes = (s: string) => Buffer.from(s, 'latin1');

/** Every match of `re` in the file (position and text). */
function matches(s: string, re: RegExp): { at: number; text: string; groups: string[] }[] {
  return [...s.matchAll(new RegExp(re.source, 'g'))].map((m) => ({ at: m.index ?? 0, text: m[0], groups: m.slice(1) }));
}

function pick<T>(xs: readonly T[], random: () => number): T | undefined {
  return xs.length ? xs[Math.floor(random() * xs.length)] : undefined;
}

const splice = (s: string, at: number, del: number, ins: string) => s.slice(0, at) + ins + s.slice(at + del);

/**
 * A zlib stream that inflates to `mb` MiB of zeros, built without holding them: sync-flushed raw
 * deflate segments of 1 MiB each concatenate into one valid stream (no final block and no
 * checksum, which the readers tolerate as a truncated stream).
 */
const bombCache = new Map<number, Buffer>();
export function deflateBomb(mb: number): Buffer {
  let b = bombCache.get(mb);
  if (!b) {
    const seg = deflateRawSync(Buffer.alloc(1024 * 1024), { level: 9, finishFlush: 2 /* Z_SYNC_FLUSH */ });
    b = Buffer.concat([Buffer.from([0x78, 0xda]), ...Array.from({ length: mb }, () => seg)]);
    bombCache.set(mb, b);
  }
  return b;
}

/** One mutation of a real PDF. Falls back to a plain insertion when the file lacks the feature. */
export function mutatePdf(src: Buffer, how: PdfMutation, random: () => number, bombMb = 100): Buffer {
  const s = latin1(src);
  const at = (n: number) => Math.floor(random() * n);
  switch (how) {
    case 'open-string': {
      const close = pick(matches(s, /\)/), random);
      return bytes(close && random() < 0.5 ? splice(s, close.at, 1, ' ') : splice(s, at(s.length), 0, '('));
    }
    case 'open-hex': {
      const close = pick(matches(s, /[^>]>[^>]/), random);
      return bytes(close && random() < 0.5 ? splice(s, close.at + 1, 1, ' ') : splice(s, at(s.length), 0, '<'));
    }
    case 'open-hex-at-end':
      return loopShape(src, 9000 + at(1000));
    case 'open-dict': {
      const close = pick(matches(s, />>/), random);
      return bytes(close ? splice(s, close.at, 2, '  ') : splice(s, at(s.length), 0, '<<'));
    }
    case 'open-array': {
      const close = pick(matches(s, /\]/), random);
      return bytes(close ? splice(s, close.at, 1, ' ') : splice(s, at(s.length), 0, '['));
    }
    case 'xref-mid-token': {
      // A classic xref entry or the startxref number, pointed at a random byte (usually mid-token).
      const entries = matches(s, /(\d{10}) (\d{5}) n/);
      const target = String(at(s.length)).padStart(10, '0');
      const e = pick(entries, random);
      if (e && random() < 0.7) return bytes(splice(s, e.at, 10, target));
      const sx = pick(matches(s, /startxref\s+(\d+)/), random);
      return sx ? bytes(splice(s, sx.at, sx.text.length, `startxref\n${at(s.length)}`)) : bytes(splice(s, at(s.length), 0, ' 0 0 R '));
    }
    case 'xref-self': {
      // startxref pointing at itself, or a trailer /Prev pointing back at its own xref section.
      const sx = pick(matches(s, /startxref\s+(\d+)/), random);
      if (!sx) return src;
      const own = Number(sx.groups[0]);
      if (random() < 0.5) return bytes(splice(s, sx.at, sx.text.length, `startxref\n${sx.at}`));
      const trailer = matches(s, /trailer\s*<</).pop();
      const xrefStm = matches(s, /\/Type\s*\/XRef/).pop();
      const where = trailer ? trailer.at + trailer.text.length : xrefStm ? xrefStm.at + xrefStm.text.length : -1;
      return where < 0 ? src : bytes(splice(s, where, 0, ` /Prev ${own} `));
    }
    case 'huge-length': {
      const len = pick(matches(s, /\/Length\s+\d+(\s+\d+\s+R)?/), random);
      const lie = pick(['99999999999', '-5', '1.5', String(src.length * 2), '0'], random) as string;
      return len ? bytes(splice(s, len.at, len.text.length, `/Length ${lie}`)) : src;
    }
    case 'self-length': {
      // A stream whose /Length is a reference to its own object.
      const objs = matches(s, /(\d+)\s+0\s+obj\s*<<[^]*?\/Length\s+\d+(\s+\d+\s+R)?/);
      const o = pick(objs, random);
      if (!o) return src;
      const lenAt = o.text.lastIndexOf('/Length');
      return bytes(splice(s, o.at + lenAt, o.text.length - lenAt, `/Length ${o.groups[0]} 0 R`));
    }
    case 'bomb': {
      // One Flate stream's data replaced by a bomb (a page's content, an object stream, an image).
      const streams = matches(s, /\/FlateDecode[^]*?stream(\r\n|\n|\r)/);
      const st = pick(streams, random);
      if (!st) return src;
      const start = st.at + st.text.length;
      const end = s.indexOf('endstream', start);
      if (end < 0) return src;
      const before = s.slice(0, start);
      const li = before.lastIndexOf('/Length');
      const head = li < 0 ? before : before.slice(0, li) + before.slice(li).replace(/\/Length\s+\d+(\s+\d+\s+R)?/, `/Length ${deflateBomb(bombMb).length}`);
      return Buffer.concat([bytes(head), deflateBomb(bombMb), bytes('\n' + s.slice(end))]);
    }
  }
}

/**
 * The shape of the loop around a real PDF: after the header line, "(" opens a string that
 * swallows the whole file (as many extra "(" as the file's own unbalanced ")" need), closed at the
 * end, then "% N 0 obj [" in a comment and a "<" that no ">" follows. A reader that restarts from
 * 0 on the "<" parses its way back to the same "<".
 */
export function loopShape(src: Buffer, num: number): Buffer {
  const nl = src.findIndex((c) => c === 0x0a || c === 0x0d);
  const cut = nl < 0 ? src.length : nl + 1;
  let depth = 0;
  let low = 0;
  for (let i = cut; i < src.length; i++) {
    const c = src[i];
    if (c === 0x5c) i++;
    else if (c === 0x28) depth++;
    else if (c === 0x29) low = Math.min(low, --depth);
  }
  const open = '('.repeat(1 - low);
  const close = ' ' + ')'.repeat(depth - low + 1);
  return Buffer.concat([src.subarray(0, cut), bytes(open), src.subarray(cut), bytes(`${close} % ${num} 0 obj [\n<`)]);
}

/** A PDF of the objects given (numbered from 1; null: a free number), with a correct xref table. */
export function buildPdf(objects: (string | Buffer | null)[], o: { header?: string; tail?: string } = {}): Buffer {
  const parts: Buffer[] = [bytes(o.header ?? '%PDF-1.5\n')];
  let pos = parts[0]!.length;
  const offsets: (number | null)[] = [];
  objects.forEach((obj, i) => {
    offsets.push(obj === null ? null : pos);
    if (obj === null) return; // a free entry
    const chunk = Buffer.concat([bytes(`${i + 1} 0 obj\n`), typeof obj === 'string' ? bytes(obj) : obj, bytes('\nendobj\n')]);
    parts.push(chunk);
    pos += chunk.length;
  });
  let xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) xref += off === null ? '0000000000 00001 f \n' : `${String(off).padStart(10, '0')} 00000 n \n`;
  xref += `trailer\n<</Size ${objects.length + 1}/Root 1 0 R>>\nstartxref\n${pos}\n%%EOF\n${o.tail ?? ''}`;
  parts.push(bytes(xref));
  return Buffer.concat(parts);
}

/** A stream object: dictionary entries, then the data, with the right /Length. */
export function streamObject(dict: string, data: Buffer): Buffer {
  return Buffer.concat([bytes(`<<${dict}/Length ${data.length}>>\nstream\n`), data, bytes('\nendstream')]);
}

const CATALOG = '<</Type/Catalog/Pages 2 0 R>>';
const ONE_PAGE = '<</Type/Pages/Kids[3 0 R]/Count 1>>';

/**
 * The infinite loop, 328 bytes: a "(" after the header opens a string that runs to the
 * end of the real objects, and the last line holds "99 0 obj [" in a comment followed by a "<"
 * with no ">". Reading object 99, the reader met the "<", set its position to indexOf(">") + 1 = 0,
 * and from the start of the file came back to the same "<" (the string and the comment swallow
 * everything between), for ever. pdfjs opens the file: it follows the xref table.
 */
export function loopingPdf(): Buffer {
  return buildPdf([CATALOG, ONE_PAGE, '<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>'], {
    header: '%PDF-1.4\n(\n',
    tail: ') % 99 0 obj [\n<',
  });
}

/** One page whose content stream inflates to `mb` MiB. */
export function contentBombPdf(mb: number): Buffer {
  return buildPdf([
    CATALOG,
    ONE_PAGE,
    '<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>',
    streamObject('/Filter/FlateDecode', deflateBomb(mb)),
  ]);
}

/**
 * A page (object 3) inside an object stream that inflates to `mb` MiB: the object first, then
 * zeros, in one zlib stream. Object 3 is free in the xref table (a table cannot point into a stream).
 */
export function objectStreamBombPdf(mb: number): Buffer {
  const index = '3 0 ';
  const objs = deflateRawSync(bytes(index + '<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>> '), { finishFlush: 2 });
  const data = Buffer.concat([Buffer.from([0x78, 0xda]), objs, deflateBomb(mb).subarray(2)]);
  return buildPdf([CATALOG, ONE_PAGE, null, streamObject(`/Type/ObjStm/N 1/First ${index.length}/Filter/FlateDecode`, data)]);
}

/** One page drawing one 8-bit grey Flate image of w x h whose stream inflates to `mb` MiB. */
export function imageBombPdf(mb: number, w = 2480, h = 3508): Buffer {
  return buildPdf([
    CATALOG,
    ONE_PAGE,
    '<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</XObject<</Im0 5 0 R>>>>>>',
    streamObject('', bytes('q 595 0 0 842 0 0 cm /Im0 Do Q')),
    streamObject(`/Type/XObject/Subtype/Image/Width ${w}/Height ${h}/BitsPerComponent 8/ColorSpace/DeviceGray/Filter/FlateDecode`, deflateBomb(mb)),
  ]);
}

/** `count` objects that each open a string running to the end of the file. */
export function manyOpenStringsPdf(count: number): Buffer {
  const objs = [CATALOG, ONE_PAGE, '<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>'];
  const head = buildPdf(objs);
  const tail = Array.from({ length: count }, (_, i) => `${100 + i} 0 obj (`).join('\n');
  return Buffer.concat([head, bytes(tail + '\n' + 'x'.repeat(count * 10))]);
}

/**
 * A page drawing one image, whose content stream also holds `n` digits in a row: the placement
 * check (a regular expression for "a b c d e f cm") backtracked quadratically on them.
 */
export function digitsContentPdf(n: number): Buffer {
  return buildPdf([
    CATALOG,
    ONE_PAGE,
    '<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</XObject<</Im0 5 0 R>>>>>>',
    streamObject('', bytes(`${'1'.repeat(n)} /Im0 Do`)),
    streamObject('/Type/XObject/Subtype/Image/Width 17/Height 22/BitsPerComponent 8/ColorSpace/DeviceGray', Buffer.alloc(17 * 22, 255)),
  ]);
}

/** A page whose font program (a TrueType FontFile2 stream) inflates to `mb` MiB. */
export function fontBombPdf(mb: number): Buffer {
  return buildPdf([
    CATALOG,
    ONE_PAGE,
    '<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>',
    streamObject('', bytes('BT /F1 12 Tf 72 700 Td (Hello) Tj ET')),
    '<</Type/Font/Subtype/TrueType/BaseFont/Bomb/FirstChar 32/LastChar 126/FontDescriptor 6 0 R>>',
    '<</Type/FontDescriptor/FontName/Bomb/Flags 32/FontBBox[0 0 1000 1000]/ItalicAngle 0/Ascent 800/Descent -200/CapHeight 700/StemV 80/FontFile2 7 0 R>>',
    streamObject(`/Length1 ${mb * 1024 * 1024}/Filter/FlateDecode`, deflateBomb(mb)),
  ]);
}
