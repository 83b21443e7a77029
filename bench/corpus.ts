/**
 * The issue-11 benchmark set and its scoring, shared by bench/compare.ts and bench/levers.ts:
 * everything in images/, pdf/ and receipts/ of the corpus except pdf/ocrmypdf-hugemono.pdf (a
 * 1.2-gigapixel page that every tool refuses), scored with the corpus's CER (test/ocr-helpers.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cer } from '../test/ocr-helpers';

export const BENCH_DIRS = ['images', 'pdf', 'receipts'] as const;
const EXCLUDED = new Set(['pdf/ocrmypdf-hugemono.pdf']);

/** Absolute paths of the inputs, sorted: every file of the three folders but GT and field files. */
export function benchInputs(corpus: string): string[] {
  const out: string[] = [];
  for (const dir of BENCH_DIRS) {
    const d = join(corpus, dir);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d).sort()) {
      if (/\.(gt|fields)\.txt$/.test(f) || EXCLUDED.has(`${dir}/${f}`)) continue;
      out.push(join(d, f));
    }
  }
  return out;
}

/** images | pdf | receipts: the folder an input sits in. */
export function inputType(corpus: string, file: string): string {
  return relative(corpus, file).split('/')[0] ?? '';
}

/** The ground truth of an input, or null when it has none ('' when nothing is expected). */
export function gtOf(file: string): string | null {
  const g = file.replace(/\.[^./]+$/, '.gt.txt');
  return existsSync(g) ? readFileSync(g, 'utf8') : null;
}

/**
 * CER over the inputs that have ground truth: the micro-average (sum of distances over sum of GT
 * lengths, as the corpus README asks; text found on an empty-GT page counts as distance) and the
 * mean of per-input CERs (inputs with non-empty GT).
 */
// Each input's text is scored several times (overall, per type, per file): its Levenshtein on a
// multi-page document takes seconds, so each (text, GT) pair is computed once.
const memo = new Map<string, { dist: number; len: number; cer: number }>();
function cerOnce(text: string, gt: string) {
  const key = `${text.length}:${gt.length}:${text}\u0000${gt}`;
  let c = memo.get(key);
  if (!c) memo.set(key, (c = cer(text, gt)));
  return c;
}

export function scoreCer(items: { text: string; gt: string | null }[]): { micro: number; mean: number; files: number } {
  let dist = 0;
  let len = 0;
  const each: number[] = [];
  for (const it of items) {
    if (it.gt === null) continue;
    const c = cerOnce(it.text, it.gt);
    dist += c.dist;
    len += c.len;
    if (c.len) each.push(c.cer);
  }
  return { micro: len ? dist / len : NaN, mean: each.length ? each.reduce((a, b) => a + b, 0) / each.length : NaN, files: each.length };
}
