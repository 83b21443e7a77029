/**
 * A deliberately small PDF object reader, used beside pdfjs for one thing pdfjs cannot do cheaply:
 * reach a scanned page's embedded image BYTES without decoding them (pdfjs decodes JPEG in
 * JavaScript, ~5 s per A4 page, slower than the OCR). It also reads the page's content stream to
 * tell an invisible OCR text layer (render mode 3) from real text.
 * Objects are found by scanning for "n g obj" (later definitions win, as incremental updates
 * append) plus object streams, so damaged xref tables do not matter. Anything it cannot read makes
 * it return null, and the caller falls back to pdfjs.
 */
import { inflateSync } from 'node:zlib';

export type PdfValue =
  | number
  | boolean
  | null
  | string // names keep their leading '/'; strings are decoded to latin1 text
  | { ref: number }
  | PdfValue[]
  | PdfDict;
export interface PdfDict {
  dict: Map<string, PdfValue>;
  stream?: Buffer; // raw (still encoded) stream bytes
}

const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

class Parser {
  constructor(
    private b: Buffer,
    public pos: number,
  ) {}
  private skipWhitespace() {
    for (;;) {
      while (this.pos < this.b.length && WS.has(this.b[this.pos] as number)) this.pos++;
      if (this.b[this.pos] === 0x25) while (this.pos < this.b.length && this.b[this.pos] !== 0x0a && this.b[this.pos] !== 0x0d) this.pos++;
      else return;
    }
  }
  private word(): string {
    const s = this.pos;
    while (this.pos < this.b.length && !WS.has(this.b[this.pos] as number) && !DELIM.has(this.b[this.pos] as number)) this.pos++;
    return this.b.toString('latin1', s, this.pos);
  }
  value(): PdfValue {
    this.skipWhitespace();
    const c = this.b[this.pos];
    if (c === undefined) throw new Error('eof');
    if (c === 0x2f) {
      this.pos++;
      return '/' + this.word();
    }
    if (c === 0x5b) {
      this.pos++;
      const arr: PdfValue[] = [];
      for (;;) {
        this.skipWhitespace();
        if (this.b[this.pos] === 0x5d) {
          this.pos++;
          return arr;
        }
        arr.push(this.value());
      }
    }
    if (c === 0x3c && this.b[this.pos + 1] === 0x3c) {
      this.pos += 2;
      const dict = new Map<string, PdfValue>();
      for (;;) {
        this.skipWhitespace();
        if (this.b[this.pos] === 0x3e && this.b[this.pos + 1] === 0x3e) {
          this.pos += 2;
          break;
        }
        const k = this.value();
        if (typeof k !== 'string') throw new Error('bad dict key');
        dict.set(k, this.value());
      }
      return { dict };
    }
    if (c === 0x3c) {
      const end = this.b.indexOf(0x3e, this.pos);
      const hex = this.b.toString('latin1', this.pos + 1, end).replace(/\s/g, '');
      this.pos = end + 1;
      return Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex').toString('latin1');
    }
    if (c === 0x28) {
      let depth = 0;
      let out = '';
      for (this.pos++; this.pos < this.b.length; this.pos++) {
        const ch = this.b[this.pos] as number;
        if (ch === 0x5c) {
          out += String.fromCharCode(this.b[++this.pos] ?? 0);
          continue;
        }
        if (ch === 0x28) depth++;
        if (ch === 0x29 && depth-- === 0) break;
        out += String.fromCharCode(ch);
      }
      this.pos++;
      return out;
    }
    const w = this.word();
    if (w === '') throw new Error(`unexpected byte ${c}`);
    if (w === 'true' || w === 'false') return w === 'true';
    if (w === 'null') return null;
    const n = Number(w);
    if (Number.isNaN(n)) throw new Error(`unexpected token ${w}`);
    // "n g R" is a reference.
    const save = this.pos;
    if (Number.isInteger(n)) {
      this.skipWhitespace();
      const g = this.word();
      this.skipWhitespace();
      if (/^\d+$/.test(g) && this.b[this.pos] === 0x52 && !/[A-Za-z]/.test(String.fromCharCode(this.b[this.pos + 1] ?? 32))) {
        this.pos++;
        return { ref: n };
      }
    }
    this.pos = save;
    return n;
  }
}

export class PdfObjects {
  private offsets = new Map<number, number>();
  private inStream = new Map<number, { stm: number; index: number }>();
  private cache = new Map<number, PdfValue | undefined>();
  readonly encrypted: boolean;

  constructor(private b: Buffer) {
    const text = b.toString('latin1');
    for (const m of text.matchAll(/(?:^|[\s>\]])(\d+)\s+(\d+)\s+obj\b/g)) {
      this.offsets.set(Number(m[1]), (m.index ?? 0) + m[0].length);
    }
    this.encrypted = /\/Encrypt\s/.test(text);
    for (const [num] of this.offsets) {
      const o = this.rawGet(num);
      if (o && typeof o === 'object' && 'dict' in o && o.dict.get('/Type') === '/ObjStm' && o.stream) {
        try {
          const data = decodeStream(o, this);
          const n = o.dict.get('/N') as number;
          const p = new Parser(data, 0);
          for (let i = 0; i < n; i++) {
            const objNum = p.value() as number;
            p.value();
            if (!this.offsets.has(objNum)) this.inStream.set(objNum, { stm: num, index: i });
          }
        } catch {
          // unreadable object stream: its objects stay unknown
        }
      }
    }
  }

  private rawGet(num: number): PdfValue | undefined {
    const at = this.offsets.get(num);
    if (at === undefined) return undefined;
    try {
      const p = new Parser(this.b, at);
      const v = p.value();
      if (v && typeof v === 'object' && 'dict' in v) {
        const after = this.b.toString('latin1', p.pos, p.pos + 20);
        const m = /^\s*stream(\r\n|\n|\r)/.exec(after);
        if (m) {
          const start = p.pos + m[0].length;
          let len = v.dict.get('/Length');
          if (len && typeof len === 'object' && 'ref' in len) len = this.get(len);
          let end = typeof len === 'number' ? start + len : -1;
          if (end < start || end > this.b.length || !/^\s*endstream/.test(this.b.toString('latin1', end, end + 12))) {
            end = this.b.indexOf('endstream', start, 'latin1');
          }
          if (end < 0) return undefined;
          v.stream = this.b.subarray(start, end);
        }
      }
      return v;
    } catch {
      return undefined;
    }
  }

  get(v: PdfValue | undefined): PdfValue | undefined {
    if (!(v && typeof v === 'object' && 'ref' in v)) return v;
    const num = v.ref;
    if (this.cache.has(num)) return this.cache.get(num);
    let out = this.rawGet(num);
    const loc = this.inStream.get(num);
    if (out === undefined && loc) {
      const stm = this.rawGet(loc.stm) as PdfDict;
      const data = decodeStream(stm, this);
      const p = new Parser(data, 0);
      const n = stm.dict.get('/N') as number;
      const pairs: number[] = [];
      for (let i = 0; i < n * 2; i++) pairs.push(p.value() as number);
      const first = stm.dict.get('/First') as number;
      out = new Parser(data, first + (pairs[loc.index * 2 + 1] ?? 0)).value() as PdfValue | undefined;
    }
    this.cache.set(num, out);
    return out;
  }

  /** Every object number defined in the file. */
  numbers(): number[] {
    return [...new Set([...this.offsets.keys(), ...this.inStream.keys()])].sort((a, b) => a - b);
  }

  dict(v: PdfValue | undefined): PdfDict | undefined {
    const d = this.get(v);
    return d && typeof d === 'object' && 'dict' in d ? d : undefined;
  }
}

export function filters(d: PdfDict, objs: PdfObjects): string[] {
  const f = objs.get(d.dict.get('/Filter'));
  if (typeof f === 'string') return [f];
  if (Array.isArray(f)) return f.filter((x): x is string => typeof x === 'string');
  return [];
}

/** Undo Flate (the only filter content and object streams use in practice); throws on others. */
export function decodeStream(d: PdfDict, objs: PdfObjects, keep: readonly string[] = []): Buffer {
  let data = d.stream ?? Buffer.alloc(0);
  for (const f of filters(d, objs)) {
    if (keep.includes(f)) break;
    if (f === '/FlateDecode' || f === '/Fl') data = inflateSync(data, { finishFlush: 2 /* Z_SYNC_FLUSH: tolerate truncation */ });
    else throw new Error(`filter ${f} not supported`);
  }
  return data;
}
