/**
 * Generated hostile inputs: tiny files that declare huge images, PDFs with absurd pages or object
 * graphs, a zip in disguise. Each is built byte by byte here (no tools), a few hundred bytes to a
 * few hundred kB.
 */
import { crc32, deflateSync } from 'node:zlib';

function u32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  return Buffer.concat([u32be(data.length), td, u32be(crc32(td))]);
}

/** A valid-looking PNG header declaring width x height (8-bit grey), with a few bytes of data. */
export function pngBomb(width = 100_000, height = 100_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    // Rows of zeros compress ~1000:1; a few kB stand for the first rows only.
    pngChunk('IDAT', deflateSync(Buffer.alloc(width + 1, 0))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A little-endian TIFF declaring width x height (8-bit grey, uncompressed) with one tiny strip. */
export function tiffBomb(width = 100_000, height = 100_000): Buffer {
  const entries: [tag: number, type: number, value: number][] = [
    [256, 4, width], // ImageWidth (LONG)
    [257, 4, height], // ImageLength
    [258, 3, 8], // BitsPerSample
    [259, 3, 1], // Compression: none
    [262, 3, 1], // Photometric: BlackIsZero
    [273, 4, 0], // StripOffsets (patched below)
    [277, 3, 1], // SamplesPerPixel
    [278, 4, height], // RowsPerStrip: one strip
    [279, 4, 16], // StripByteCounts: far fewer than declared
  ];
  const ifdOffset = 8;
  const ifdSize = 2 + entries.length * 12 + 4;
  const dataOffset = ifdOffset + ifdSize;
  const b = Buffer.alloc(dataOffset + 16, 0);
  b.write('II', 0, 'latin1');
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(ifdOffset, 4);
  b.writeUInt16LE(entries.length, ifdOffset);
  entries.forEach(([tag, type, value], i) => {
    const at = ifdOffset + 2 + i * 12;
    b.writeUInt16LE(tag, at);
    b.writeUInt16LE(type, at + 2);
    b.writeUInt32LE(1, at + 4);
    if (type === 3) b.writeUInt16LE(value, at + 8);
    else b.writeUInt32LE(tag === 273 ? dataOffset : value, at + 8);
  });
  b.writeUInt32LE(0, ifdOffset + 2 + entries.length * 12); // no next IFD
  return b;
}

/** Assemble a PDF from object bodies (object i+1 = bodies[i]) with a correct xref table. */
export function pdf(bodies: string[], rootObj = 1): Buffer {
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  bodies.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${bodies.length + 1} /Root ${rootObj} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

function stream(content: string): string {
  return `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;
}

/** One empty page of size x size points (35,000 pt square = 486 x 486 inches). */
export function pdfHugePage(size = 35_000): Buffer {
  return pdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${size} ${size}] /Contents 4 0 R >>`,
    stream(''),
  ]);
}

/** `pages` small pages, each with one line of real text ("page N of M"): born-digital. */
export function pdfManyPages(pages = 3000): Buffer {
  const bodies = ['<< /Type /Catalog /Pages 2 0 R >>', '', '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'];
  const kids: string[] = [];
  for (let i = 0; i < pages; i++) {
    const pageObj = bodies.length + 1;
    kids.push(`${pageObj} 0 R`);
    bodies.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageObj + 1} 0 R >>`);
    bodies.push(stream(`BT /F1 12 Tf 10 50 Td (page ${i + 1} of ${pages}) Tj ET`));
  }
  bodies[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages} >>`;
  return pdf(bodies);
}

/** A page tree that loops back on itself (Pages -> Pages -> the first Pages). */
export function pdfCyclicPages(): Buffer {
  return pdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >>',
  ]);
}

/** A page whose resources hold arrays nested `depth` deep, and a reference chain that loops. */
export function pdfDeepNesting(depth = 50_000): Buffer {
  return pdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /XObject 5 0 R /Deep ${'['.repeat(depth)}${']'.repeat(depth)} >> /Contents 4 0 R >>`,
    stream('q 10 0 0 10 0 0 cm /Im1 Do Q'),
    '6 0 R',
    '5 0 R',
  ]);
}

/** A real (stored, uncompressed) zip archive holding one text file, named .pdf by the caller. */
export function zipFile(): Buffer {
  const name = Buffer.from('readme.txt');
  const data = Buffer.from('This is a zip archive, not a PDF.\n');
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const cdOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}
