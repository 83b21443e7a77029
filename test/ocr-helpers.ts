/** Helpers for OCR tests and bench/ocr.ts: the corpus's CER definition and a tiny PDF writer. */
import { deflateSync } from 'node:zlib';

const norm = (s: string) => s.replace(/\s+/gu, ' ').trim();

function levenshtein(a: string[], b: string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** Character error rate as the corpus README defines it (code points, whitespace runs folded). */
export function cer(hyp: string, gt: string): { dist: number; len: number; cer: number } {
  const h = Array.from(norm(hyp));
  const g = Array.from(norm(gt));
  const dist = levenshtein(h, g);
  return { dist, len: g.length, cer: g.length ? dist / g.length : NaN };
}

/**
 * A one-page PDF whose content is one JPEG drawn over the whole page: what a scanner writes.
 * dpi sets the page size from the pixel size.
 */
export function jpegPdf(jpeg: Buffer, width: number, height: number, channels: 1 | 3, dpi = 300): Buffer {
  return imagePdf(jpeg, '/DCTDecode', '', width, height, channels, dpi);
}

/** The same with 8-bit pixels in a Flate stream, each row PNG-filtered (predictor 15) as many writers do. */
export function flatePdf(pixels: Buffer, width: number, height: number, channels: 1 | 3, dpi = 300): Buffer {
  const row = width * channels;
  const filtered = Buffer.alloc((row + 1) * height);
  for (let y = 0; y < height; y++) {
    filtered[y * (row + 1)] = 2; // "Up": difference from the row above
    for (let x = 0; x < row; x++) {
      const above = y > 0 ? (pixels[(y - 1) * row + x] as number) : 0;
      filtered[y * (row + 1) + 1 + x] = ((pixels[y * row + x] as number) - above) & 0xff;
    }
  }
  return imagePdf(deflateSync(filtered), '/FlateDecode', ` /DecodeParms << /Predictor 15 /Colors ${channels} /Columns ${width} /BitsPerComponent 8 >>`, width, height, channels, dpi);
}

/** The same with JPEG 2000 bytes (a JP2 file or a bare codestream) as a /JPXDecode image. */
export function jpxPdf(jpx: Buffer, width: number, height: number, channels: 1 | 3, dpi = 300): Buffer {
  return imagePdf(jpx, '/JPXDecode', '', width, height, channels, dpi);
}

function imagePdf(data: Buffer, filter: string, extra: string, width: number, height: number, channels: 1 | 3, dpi: number): Buffer {
  const jpeg = data;
  const wPt = (width / dpi) * 72;
  const hPt = (height / dpi) * 72;
  const content = Buffer.from(`q ${wPt.toFixed(2)} 0 0 ${hPt.toFixed(2)} 0 0 cm /Im0 Do Q`, 'latin1');
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${wPt.toFixed(2)} ${hPt.toFixed(2)}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>`),
    Buffer.concat([
      Buffer.from(
        `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /${channels === 1 ? 'DeviceGray' : 'DeviceRGB'} /BitsPerComponent 8 /Filter ${filter}${extra} /Length ${jpeg.length} >>\nstream\n`,
      ),
      jpeg,
      Buffer.from('\nendstream'),
    ]),
    Buffer.concat([Buffer.from(`<< /Length ${content.length} >>\nstream\n`), content, Buffer.from('\nendstream')]),
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let pos = parts[0]!.length;
  objects.forEach((o, i) => {
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), o, Buffer.from('\nendobj\n')]);
    offsets.push(pos);
    parts.push(chunk);
    pos += chunk.length;
  });
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${pos}\n%%EOF\n`;
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}
