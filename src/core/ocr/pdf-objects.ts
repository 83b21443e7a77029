/**
 * A deliberately small PDF object reader, used beside pdfjs for one thing pdfjs cannot do cheaply:
 * reach a scanned page's embedded image BYTES without decoding them (pdfjs decodes JPEG in
 * JavaScript, ~5 s per A4 page, slower than the OCR). It also reads the page's content stream to
 * tell an invisible OCR text layer (render mode 3) from real text.
 * Objects are found by scanning for "n g obj" (later definitions win, as incremental updates
 * append) plus object streams, so damaged xref tables do not matter. An object it cannot read is
 * unknown (undefined), and the caller falls back to pdfjs. What it will not do for any file: read
 * more than a few times the file's size in total (corrupt_file), or inflate a stream past what its
 * use can need (too_large); see pdf-parser.ts for the parser's own bounds.
 */
import { inflateSync } from 'node:zlib';
import type { PdfDict, PdfValue } from './pdf-parser';
import { Parser, PdfSyntaxError, WorkBudget } from './pdf-parser';
import { OcrError } from './types';

export type { PdfDict, PdfValue } from './pdf-parser';

const MB = 1024 * 1024;
/**
 * Bytes all parses of one document may read: 16 times the file plus 16 MB. Each object is parsed
 * once (cached), so a sound file uses about one reading of itself; the fixtures all stay under 2x.
 */
const PARSE_READS_OF_FILE = 16;
const PARSE_BASE_BYTES = 16 * MB;
/**
 * An object stream holds small dictionaries: real ones inflate to kilobytes, rarely a few MB.
 * A file may not make the reader inflate more than this for one of them, nor more than
 * MAX_OBJECT_STREAMS_BYTES for all of them (a 1.5 MB file used to inflate one to 1.5 GiB).
 */
export const MAX_OBJECT_STREAM_BYTES = 64 * MB;
export const MAX_OBJECT_STREAMS_BYTES = 256 * MB;
/**
 * Streams pdfjs inflates whole when it meets them, whatever the page needs: font programs, the
 * cross-reference stream, XML metadata. A font bomb (a 100 MB Type1C stream in a 115 kB file)
 * took pdfjs 9 s and 600 MB. Checked here first, by inflating each to its bound (real fonts are
 * kilobytes to a few MB, large CJK fonts tens; an xref stream is its entries).
 */
export const MAX_FONT_BYTES = 48 * MB;
const MAX_METADATA_BYTES = 16 * MB;
/** References followed inside one another (a /Length that is a reference, whose object has one...). */
const MAX_REF_DEPTH = 16;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isDict = (v: PdfValue | undefined): v is PdfDict => !!v && typeof v === 'object' && 'dict' in v;

export class PdfObjects {
  private offsets = new Map<number, number>();
  private streamed = new Map<number, PdfValue>();
  private cache = new Map<number, PdfValue | undefined>();
  private resolving = new Set<number>();
  private endstreams: number[] = [];
  private inflatedForObjectStreams = 0;
  private ready = false;
  readonly encrypted: boolean;
  private readonly budget: WorkBudget;

  constructor(private b: Buffer) {
    this.budget = new WorkBudget(PARSE_READS_OF_FILE * b.length + PARSE_BASE_BYTES);
    const text = b.toString('latin1');
    for (const m of text.matchAll(/(?:^|[\s>\]])(\d+)\s+(\d+)\s+obj\b/g)) {
      this.offsets.set(Number(m[1]), (m.index ?? 0) + m[0].length);
    }
    this.encrypted = /\/Encrypt\s/.test(text);
    for (let i = b.indexOf('endstream', 0, 'latin1'); i >= 0; i = b.indexOf('endstream', i + 9, 'latin1')) this.endstreams.push(i);
    for (const [num] of this.offsets) {
      const o = this.get({ ref: num });
      if (!isDict(o) || !o.stream) continue;
      if (o.dict.get('/Type') === '/ObjStm') this.readObjectStream(o);
      else this.checkWholeStream(o);
    }
    this.ready = true;
  }

  /** Refuse (too_large) a font, xref or metadata stream that inflates past what it can be. */
  private checkWholeStream(o: PdfDict): void {
    const d = o.dict;
    const sub = d.get('/Subtype');
    let bound: number | undefined;
    if (d.has('/Length1') || d.has('/Length2') || d.has('/Length3') || sub === '/Type1C' || sub === '/CIDFontType0C' || sub === '/OpenType') bound = MAX_FONT_BYTES;
    else if (d.get('/Type') === '/Metadata') bound = MAX_METADATA_BYTES;
    else if (d.get('/Type') === '/XRef') {
      const w = this.get(d.get('/W'));
      const size = this.get(d.get('/Size'));
      const index = this.get(d.get('/Index'));
      const width = Array.isArray(w) ? w.reduce<number>((a, x) => a + (isInt(x) ? x : 0), 0) : 0;
      const entries = Array.isArray(index) ? index.reduce<number>((a, x, i) => a + (i % 2 === 1 && isInt(x) ? x : 0), 0) : isInt(size) ? size : 0;
      bound = (width + 1) * entries + 1024; // + a predictor byte per row
    }
    if (bound === undefined || filters(o, this).length === 0) return;
    try {
      decodeStream(o, this, bound);
    } catch (err) {
      if (err instanceof OcrError) throw err;
      // damaged data: pdfjs will say so, or cope
    }
  }

  /** Parse every object an object stream holds (once: fetching them one by one re-inflated the stream each time). */
  private readObjectStream(o: PdfDict): void {
    let data: Buffer;
    try {
      const left = MAX_OBJECT_STREAMS_BYTES - this.inflatedForObjectStreams;
      data = decodeStream(o, this, Math.min(MAX_OBJECT_STREAM_BYTES, left));
    } catch (err) {
      if (err instanceof OcrError) throw err; // a bomb: the document's failure, not just this object's
      return; // unreadable object stream: its objects stay unknown
    }
    this.inflatedForObjectStreams += data.length;
    const n = this.get(o.dict.get('/N'));
    const first = this.get(o.dict.get('/First'));
    // Each entry takes at least two bytes ("1 0"): a larger /N is a lie, not a reason to loop.
    if (!isInt(n) || n > data.length / 2 || !isInt(first) || first > data.length) return;
    const pairs: [number, number][] = [];
    try {
      const p = new Parser(data, 0, this.budget);
      for (let i = 0; i < n; i++) {
        const num = p.value();
        const off = p.value();
        if (!isInt(num) || !isInt(off)) break;
        pairs.push([num, off]);
      }
    } catch (err) {
      if (!(err instanceof PdfSyntaxError)) throw err;
    }
    for (const [num, off] of pairs) {
      if (this.offsets.has(num) || first + off >= data.length) continue;
      try {
        this.streamed.set(num, new Parser(data, first + off, this.budget).value());
      } catch (err) {
        if (!(err instanceof PdfSyntaxError)) throw err;
      }
    }
  }

  private rawGet(num: number): PdfValue | undefined {
    const at = this.offsets.get(num);
    if (at === undefined) return this.streamed.get(num);
    try {
      const p = new Parser(this.b, at, this.budget);
      const v = p.value();
      if (isDict(v)) {
        const m = /^\s*stream(\r\n|\n|\r)/.exec(this.b.toString('latin1', p.pos, p.pos + 20));
        if (m) {
          const start = p.pos + m[0].length;
          const len = this.get(v.dict.get('/Length'));
          let end = isInt(len) ? start + len : -1;
          if (end > this.b.length || !/^\s*endstream/.test(this.b.toString('latin1', end, end + 12))) end = this.endstreamAfter(start);
          if (end < 0) return undefined;
          v.stream = this.b.subarray(start, end);
        }
      }
      return v;
    } catch (err) {
      if (err instanceof PdfSyntaxError) return undefined;
      throw err;
    }
  }

  /** The first "endstream" at or after `from` (binary search over the positions found once), or -1. */
  private endstreamAfter(from: number): number {
    let lo = 0;
    let hi = this.endstreams.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.endstreams[mid] as number) < from) lo = mid + 1;
      else hi = mid;
    }
    return this.endstreams[lo] ?? -1;
  }

  get(v: PdfValue | undefined): PdfValue | undefined {
    if (!(v && typeof v === 'object' && 'ref' in v)) return v;
    const num = v.ref;
    if (this.cache.has(num)) return this.cache.get(num);
    // A reference back into an object being read (a stream whose /Length is itself), or a chain
    // of them: unknown, instead of recursing until the stack runs out.
    if (this.resolving.has(num) || this.resolving.size >= MAX_REF_DEPTH) return undefined;
    this.resolving.add(num);
    let out: PdfValue | undefined;
    try {
      out = this.rawGet(num);
    } finally {
      this.resolving.delete(num);
    }
    // While the object streams are still being read, a miss may be an object they hold.
    if (out !== undefined || this.ready) this.cache.set(num, out);
    return out;
  }

  /** Every object number defined in the file. */
  numbers(): number[] {
    return [...new Set([...this.offsets.keys(), ...this.streamed.keys()])].sort((a, b) => a - b);
  }

  dict(v: PdfValue | undefined): PdfDict | undefined {
    const d = this.get(v);
    return isDict(d) ? d : undefined;
  }
}

export function filters(d: PdfDict, objs: PdfObjects): string[] {
  const f = objs.get(d.dict.get('/Filter'));
  if (typeof f === 'string') return [f];
  if (Array.isArray(f)) return f.filter((x): x is string => typeof x === 'string');
  return [];
}

/**
 * Undo Flate (the only filter content and object streams use in practice); throws on others.
 * Never produces more than `maxBytes`: a stream that would inflate past it fails as too_large
 * (ERR_BUFFER_TOO_LARGE stops zlib as soon as its output passes the bound, before it is all held).
 */
export function decodeStream(d: PdfDict, objs: PdfObjects, maxBytes: number, keep: readonly string[] = []): Buffer {
  let data = d.stream ?? Buffer.alloc(0);
  for (const f of filters(d, objs)) {
    if (keep.includes(f)) break;
    if (f !== '/FlateDecode' && f !== '/Fl') throw new Error(`filter ${f} not supported`);
    try {
      data = inflateSync(data, { finishFlush: 2 /* Z_SYNC_FLUSH: tolerate truncation */, maxOutputLength: Math.max(1, maxBytes) });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') throw err;
      throw new OcrError('too_large', `A compressed stream in the PDF expands to more than ${Math.round(maxBytes / MB)} MB, more than its use can need`);
    }
  }
  return data;
}
