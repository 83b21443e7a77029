/**
 * What a page's content stream does that pdf-page.ts needs to know: text shown, text render
 * modes, images drawn, placements. One pass over the bytes with a small tokenizer; every step
 * advances by at least one byte. It replaced regular expressions, one of which
 * (`(-?[\d.]+)\s+... cm`) backtracked quadratically: 40,000 digits took 2.6 s, 1 MB would take
 * about half an hour.
 */
import { DELIM, WS } from './pdf-parser';

export interface ContentSummary {
  /** Text-showing operators (Tj, TJ, ', ") with a string or array operand. */
  textOps: number;
  /** Operands of every Tr (text render mode). */
  renderModes: number[];
  /** Names drawn with Do, in order (with repeats). */
  drawn: string[];
  /** The a, b, c, d of every cm. */
  placements: [number, number, number, number][];
}

type Operand = { k: 'num'; v: number } | { k: 'name'; v: string } | { k: 'str' } | { k: 'array' } | { k: 'other' };
/** Operands kept before an operator: cm takes the most (6). */
const KEEP = 8;

export function summariseContent(b: Buffer): ContentSummary {
  const out: ContentSummary = { textOps: 0, renderModes: [], drawn: [], placements: [] };
  let ops: Operand[] = [];
  const push = (o: Operand) => {
    ops.push(o);
    if (ops.length > KEEP) ops.shift();
  };
  const last = (i = 1) => ops[ops.length - i];
  let pos = 0;
  const n = b.length;
  while (pos < n) {
    const c = b[pos] as number;
    if (WS.has(c)) {
      pos++;
    } else if (c === 0x25) {
      while (pos < n && b[pos] !== 0x0a && b[pos] !== 0x0d) pos++;
    } else if (c === 0x28) {
      let depth = 0;
      for (pos++; pos < n; pos++) {
        const ch = b[pos] as number;
        if (ch === 0x5c) pos++;
        else if (ch === 0x28) depth++;
        else if (ch === 0x29 && depth-- === 0) break;
      }
      pos++;
      push({ k: 'str' });
    } else if (c === 0x3c && b[pos + 1] === 0x3c) {
      pos += 2;
    } else if (c === 0x3e && b[pos + 1] === 0x3e) {
      pos += 2;
      push({ k: 'other' });
    } else if (c === 0x3c) {
      const end = b.indexOf(0x3e, pos + 1);
      pos = end < 0 ? n : end + 1;
      push({ k: 'str' });
    } else if (c === 0x5d) {
      pos++;
      push({ k: 'array' });
    } else if (c === 0x2f) {
      const s = ++pos;
      while (pos < n && !WS.has(b[pos] as number) && !DELIM.has(b[pos] as number)) pos++;
      push({ k: 'name', v: b.toString('latin1', s, pos) });
    } else if (DELIM.has(c)) {
      pos++; // [ { } and stray ) >
    } else {
      const s = pos;
      while (pos < n && !WS.has(b[pos] as number) && !DELIM.has(b[pos] as number)) pos++;
      const word = b.toString('latin1', s, pos);
      const num = Number(word);
      if (word.length <= 32 && !Number.isNaN(num)) {
        push({ k: 'num', v: num });
        continue;
      }
      operator(word);
      if (word === 'ID') pos = afterInlineImage(b, pos);
      ops = [];
    }
  }
  return out;

  function operator(op: string) {
    const a = last();
    if (op === 'Tj' || op === 'TJ' || op === "'" || op === '"') {
      if (a && (a.k === 'str' || a.k === 'array')) out.textOps++;
    } else if (op === 'Tr') {
      if (a?.k === 'num') out.renderModes.push(a.v);
    } else if (op === 'Do') {
      if (a?.k === 'name') out.drawn.push(a.v);
    } else if (op === 'cm') {
      const m = [6, 5, 4, 3, 2, 1].map((i) => last(i));
      if (m.every((o) => o?.k === 'num')) {
        const [ma, mb, mc, md] = m.map((o) => (o as { v: number }).v) as [number, number, number, number];
        out.placements.push([ma, mb, mc, md]);
      }
    }
  }
}

/** Inline image data runs from one byte after ID to an EI between whitespace; its bytes are not tokens. */
function afterInlineImage(b: Buffer, from: number): number {
  for (let i = b.indexOf('EI', from + 1, 'latin1'); i >= 0; i = b.indexOf('EI', i + 2, 'latin1')) {
    const before = b[i - 1];
    const after = b[i + 2];
    if (before !== undefined && WS.has(before) && (after === undefined || WS.has(after))) return i + 2;
  }
  return b.length;
}
