/**
 * Writes a PDF object by object: numbers are handed out first (so objects can point at each other
 * in any order), bodies are appended as they are ready, and the cross-reference table is made
 * from the offsets at the end. Streams are written byte for byte with their exact /Length.
 */
export class PdfWriter {
  private parts: Buffer[] = [];
  private offsets: number[] = [];
  private pos = 0;
  private next = 1;

  constructor(version = '1.7') {
    // The second line's high bytes tell transfer tools the file is binary.
    this.push(Buffer.from(`%PDF-${version}\n%\xe2\xe3\xcf\xd3\n`, 'latin1'));
  }

  private push(b: Buffer) {
    this.parts.push(b);
    this.pos += b.length;
  }

  /** A fresh object number, to be written later with write(). */
  alloc(): number {
    return this.next++;
  }

  /** Writes object `num` (from alloc) with a dictionary or other body, and a stream if given. */
  write(num: number, body: string | Buffer, stream?: Buffer): number {
    if (this.offsets[num] !== undefined) throw new Error(`PDF object ${num} written twice`);
    this.offsets[num] = this.pos;
    const head = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
    if (stream) {
      // The caller's dictionary ends with '>>': /Length goes in front of it.
      const dict = head.toString('latin1').replace(/>>\s*$/, ` /Length ${stream.length} >>`);
      this.push(Buffer.concat([Buffer.from(`${num} 0 obj\n${dict}\nstream\n`, 'latin1'), stream, Buffer.from('\nendstream\nendobj\n')]));
    } else {
      this.push(Buffer.concat([Buffer.from(`${num} 0 obj\n`), head, Buffer.from('\nendobj\n')]));
    }
    return num;
  }

  /** alloc + write. */
  add(body: string | Buffer, stream?: Buffer): number {
    return this.write(this.alloc(), body, stream);
  }

  /** The finished file, with `root` as the catalog and an optional /Info dictionary object. */
  finish(root: number, info?: number): Buffer {
    const size = this.next;
    let xref = `xref\n0 ${size}\n0000000000 65535 f \n`;
    for (let i = 1; i < size; i++) {
      const at = this.offsets[i];
      xref += at === undefined ? '0000000000 00000 f \n' : `${String(at).padStart(10, '0')} 00000 n \n`;
    }
    const start = this.pos;
    xref += `trailer\n<< /Size ${size} /Root ${root} 0 R${info ? ` /Info ${info} 0 R` : ''} >>\nstartxref\n${start}\n%%EOF\n`;
    this.push(Buffer.from(xref, 'latin1'));
    return Buffer.concat(this.parts);
  }
}

/** A number as PDF writes it: no exponent, at most 4 decimals. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return '0';
  const r = Math.round(v * 10000) / 10000;
  return Number.isInteger(r) ? String(r) : r.toFixed(4).replace(/0+$/, '');
}

/** A text string as a PDF hex string in UTF-16BE with BOM (any Unicode text). */
export function pdfTextString(s: string): string {
  const b = Buffer.from('\ufeff' + s, 'utf16le').swap16();
  return `<${b.toString('hex')}>`;
}
