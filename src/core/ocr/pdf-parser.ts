/**
 * The PDF value parser under pdf-objects.ts, and the work budget every parse draws from.
 * Bytes come from a user's file, so every loop here advances on every step or throws: no position
 * ever moves backwards (an unterminated hex string used to set it to indexOf(...) + 1 = 0 and
 * parse the file again from the start, for ever), nesting is bounded, and the bytes all parses
 * of one document may read together are bounded by its size (many objects that each run to the
 * end of the file would otherwise cost the file's size squared).
 */
import { OcrError } from './types';

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

/** Arrays and dictionaries nested deeper than this are not a real document's. */
export const MAX_NESTING = 64;

/** A malformed value: the object it belongs to is unreadable, the rest of the file may be fine. */
export class PdfSyntaxError extends Error {
  override name = 'PdfSyntaxError';
}

/**
 * Bytes a document's parses may read in total. Exhausted, it throws corrupt_file: the file makes
 * the reader do far more work than its size can justify.
 */
export class WorkBudget {
  constructor(private remaining: number) {}
  spend(n: number): void {
    this.remaining -= n;
    if (this.remaining < 0) throw new OcrError('corrupt_file', 'The PDF makes its object reader read far more than its own size (damaged or built to stall readers)');
  }
}

export const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
export const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

export class Parser {
  constructor(
    private readonly b: Buffer,
    public pos: number,
    private readonly budget?: WorkBudget,
  ) {
    if (!Number.isInteger(pos) || pos < 0 || pos > b.length) throw new PdfSyntaxError(`offset ${pos} is outside the data`);
  }

  /** One value; its bytes are charged to the budget whether it parses or not. */
  value(): PdfValue {
    const start = this.pos;
    try {
      return this.parse(0);
    } finally {
      this.budget?.spend(this.pos - start + 1);
    }
  }

  skipWhitespace(): void {
    for (;;) {
      while (this.pos < this.b.length && WS.has(this.b[this.pos] as number)) this.pos++;
      if (this.b[this.pos] !== 0x25) return;
      while (this.pos < this.b.length && this.b[this.pos] !== 0x0a && this.b[this.pos] !== 0x0d) this.pos++;
    }
  }

  word(): string {
    const s = this.pos;
    while (this.pos < this.b.length && !WS.has(this.b[this.pos] as number) && !DELIM.has(this.b[this.pos] as number)) this.pos++;
    return this.b.toString('latin1', s, this.pos);
  }

  private parse(depth: number): PdfValue {
    if (depth > MAX_NESTING) throw new PdfSyntaxError(`arrays or dictionaries nested deeper than ${MAX_NESTING}`);
    this.skipWhitespace();
    const c = this.b[this.pos];
    if (c === undefined) throw new PdfSyntaxError('unexpected end of data');
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
        arr.push(this.parse(depth + 1)); // advances or throws (at the end of the data at the latest)
      }
    }
    if (c === 0x3c && this.b[this.pos + 1] === 0x3c) {
      this.pos += 2;
      const dict = new Map<string, PdfValue>();
      for (;;) {
        this.skipWhitespace();
        if (this.b[this.pos] === 0x3e && this.b[this.pos + 1] === 0x3e) {
          this.pos += 2;
          return { dict };
        }
        const k = this.parse(depth + 1);
        if (typeof k !== 'string' || !k.startsWith('/')) throw new PdfSyntaxError('a dictionary key is not a name');
        dict.set(k, this.parse(depth + 1));
      }
    }
    if (c === 0x3c) {
      const end = this.b.indexOf(0x3e, this.pos + 1);
      if (end < 0) {
        this.pos = this.b.length; // read to the end: charged as such
        throw new PdfSyntaxError('a hex string has no closing ">"');
      }
      const hex = this.b.toString('latin1', this.pos + 1, end).replace(/\s/g, '');
      this.pos = end + 1;
      return Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex').toString('latin1');
    }
    if (c === 0x28) return this.literalString();
    const w = this.word();
    if (w === '') throw new PdfSyntaxError(`unexpected byte ${c}`);
    if (w === 'true' || w === 'false') return w === 'true';
    if (w === 'null') return null;
    const n = Number(w);
    if (Number.isNaN(n)) throw new PdfSyntaxError(`unexpected token ${w.slice(0, 32)}`);
    // "n g R" is a reference; otherwise come back to just after the number (still ahead of where it began).
    const save = this.pos;
    if (Number.isInteger(n) && n >= 0) {
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

  /** Escapes keep the escaped byte (as before: strings only feed font names and checks here). */
  private literalString(): string {
    const start = this.pos + 1;
    let depth = 0;
    let escapes = false;
    let i = start;
    for (; i < this.b.length; i++) {
      const ch = this.b[i] as number;
      if (ch === 0x5c) {
        i++;
        escapes = true;
      } else if (ch === 0x28) depth++;
      else if (ch === 0x29 && depth-- === 0) break;
    }
    this.pos = Math.min(i + 1, this.b.length);
    if (i >= this.b.length) throw new PdfSyntaxError('a string has no closing ")"');
    if (!escapes) return this.b.toString('latin1', start, i);
    const out = Buffer.allocUnsafe(i - start);
    let k = 0;
    for (let j = start; j < i; j++) {
      if (this.b[j] === 0x5c) j++;
      if (j < i) out[k++] = this.b[j] as number;
    }
    return out.toString('latin1', 0, k);
  }
}
