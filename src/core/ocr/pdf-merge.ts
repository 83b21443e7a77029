/**
 * Joins one-page PDFs (tesseract's searchable-PDF pages) into one document: each page and every
 * object it reaches are copied with new object numbers under a new page tree. Streams are copied
 * byte for byte. Made for tesseract's own simple output, read with pdf-objects.ts.
 */
import type { PdfDict, PdfValue } from './pdf-objects';
import { PdfObjects } from './pdf-objects';

function isDict(v: PdfValue | undefined): v is PdfDict {
  return !!v && typeof v === 'object' && 'dict' in v;
}

function serialise(v: PdfValue | undefined, renumber: (n: number) => number): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(5)));
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v.startsWith('/') ? v : `<${Buffer.from(v, 'latin1').toString('hex')}>`;
  if (Array.isArray(v)) return `[${v.map((x) => serialise(x, renumber)).join(' ')}]`;
  if ('ref' in v) return `${renumber(v.ref)} 0 R`;
  const entries = [...v.dict.entries()].filter(([k]) => !(v.stream && k === '/Length'));
  if (v.stream) entries.push(['/Length', v.stream.length]);
  return `<< ${entries.map(([k, x]) => `${k} ${serialise(x, renumber)}`).join(' ')} >>`;
}

export function mergePdfPages(pdfs: readonly Buffer[]): Buffer {
  const out: Buffer[] = [Buffer.from('%PDF-1.5\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let pos = out[0]!.length;
  let next = 3; // 1 = catalog, 2 = page tree
  const kids: number[] = [];
  const write = (num: number, body: Buffer) => {
    offsets[num] = pos;
    const chunk = Buffer.concat([Buffer.from(`${num} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    out.push(chunk);
    pos += chunk.length;
  };
  for (const pdf of pdfs) {
    const objs = new PdfObjects(pdf);
    const pageNum = objs.numbers().find((n) => objs.dict({ ref: n })?.dict.get('/Type') === '/Page');
    if (pageNum === undefined) throw new Error('a page PDF without a page');
    const map = new Map<number, number>();
    const renumber = (n: number) => {
      let m = map.get(n);
      if (m === undefined) {
        m = next++;
        map.set(n, m);
        queue.push(n);
      }
      return m;
    };
    const queue: number[] = [];
    kids.push(renumber(pageNum));
    while (queue.length) {
      const n = queue.shift() as number;
      const v = objs.get({ ref: n });
      let body: string;
      if (n === pageNum && isDict(v)) {
        const page: PdfDict = { dict: new Map(v.dict) };
        page.dict.set('/Parent', { ref: -2 });
        body = serialise(page, (x) => (x === -2 ? 2 : renumber(x)));
      } else {
        body = serialise(v, renumber);
      }
      const parts: Buffer[] = [Buffer.from(body, 'latin1')];
      if (isDict(v) && v.stream) parts.push(Buffer.from('\nstream\n'), v.stream, Buffer.from('\nendstream'));
      write(map.get(n) as number, Buffer.concat(parts));
    }
  }
  write(1, Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'));
  write(2, Buffer.from(`<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`));
  const size = next;
  let xref = `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let i = 1; i < size; i++) xref += `${String(offsets[i] ?? 0).padStart(10, '0')} 00000 ${offsets[i] === undefined ? 'f' : 'n'} \n`;
  xref += `trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${pos}\n%%EOF\n`;
  out.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(out);
}
