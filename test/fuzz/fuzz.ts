/**
 * Seeded fuzzing of the decode path (sniff -> image/PDF decoders -> page pipeline), in-process and
 * without OCR: mutated fixtures (bit flips, truncation, chunk duplication) must each either decode
 * or fail with an OcrError that carries a kind, within a time limit, never crash the host.
 *
 *   npm run test:fuzz -- [--cases 20000] [--seed N]
 *
 * The bounded version runs inside `npm test` (test/fuzz/fuzz.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/logger';
import { renderPage } from '../../src/core/ocr/image';
import { forEachPage } from '../../src/core/ocr/pages';
import { OcrError } from '../../src/core/ocr/types';
import { OCR_FIXTURES, rng } from '../chaos/inputs';

export const FUZZ_SEEDS = [
  'tessjs-simple-png.png',
  'tessjs-simple-gif.gif',
  'tessjs-simple-bmp.bmp',
  'tessjs-simple-pbm.pbm',
  'tessjs-simple-webp.webp',
  'tessjs-simple-90-exif.jpg',
  'tesstest-phototest.tif',
  'charlesw-multi-page.tif',
  'pypdf-pdflatex-4-pages.pdf',
  'ocrmypdf-aspect.pdf',
  'pdfminer-zen_of_python_corrupted.pdf',
  'pytess-test-jp2.jp2',
  'tessjs-simple-avif.avif',
];

export type Mutation = 'flip' | 'truncate' | 'duplicate';

/** One mutated copy: a few flipped bits, a cut, or a slice copied elsewhere. */
export function mutate(src: Buffer, random: () => number): { bytes: Buffer; how: Mutation } {
  const pick = random();
  const at = (n: number) => Math.floor(random() * n);
  if (pick < 0.45) {
    const b = Buffer.from(src);
    const flips = 1 + at(8);
    for (let i = 0; i < flips; i++) {
      const pos = at(b.length);
      b[pos] = (b[pos] as number) ^ (1 << at(8));
    }
    return { bytes: b, how: 'flip' };
  }
  if (pick < 0.75) return { bytes: src.subarray(0, at(src.length)), how: 'truncate' };
  const from = at(src.length);
  const len = 1 + at(Math.min(4096, src.length - from));
  const to = at(src.length);
  return { bytes: Buffer.concat([src.subarray(0, to), src.subarray(from, from + len), src.subarray(to)]), how: 'duplicate' };
}

/** Everything the engine does before OCR (its own page walk): sniff, decode, render at most `maxPages` pages to PGM. */
export async function decodeOnly(bytes: Buffer, maxPages = 3): Promise<number> {
  let pages = 0;
  await forEachPage(bytes, { keepExistingText: true, logger: silentLogger, maxPages }, async (page) => {
    if (page.kind === 'image' && page.source.kind === 'sharp') await renderPage(page.source);
    // A page read in tiles: its first tile is decoded too.
    if (page.kind === 'tiles' && page.tiled.tiles[0]) await renderPage(await page.tiled.tile(page.tiled.tiles[0]));
    pages++;
  });
  return pages;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  decoded: number;
  failedByKind: Record<string, number>;
  /** Threw something that is not an OcrError (would reach the queue as an unclassified engine_error). */
  unclassified: { seed: string; how: Mutation; error: string }[];
  /** Took longer than the per-case limit. */
  slow: { seed: string; how: Mutation; ms: number }[];
  elapsedMs: number;
}

export async function fuzzDecode(o: { cases: number; seed: number; caseLimitMs?: number; onCase?: (i: number) => void }): Promise<FuzzReport> {
  const random = rng(o.seed);
  const seeds = FUZZ_SEEDS.map((f) => ({ f, bytes: readFileSync(join(OCR_FIXTURES, f)) }));
  const limit = o.caseLimitMs ?? 10_000;
  const r: FuzzReport = { seed: o.seed, cases: o.cases, decoded: 0, failedByKind: {}, unclassified: [], slow: [], elapsedMs: 0 };
  const started = Date.now();
  for (let i = 0; i < o.cases; i++) {
    const s = seeds[Math.floor(random() * seeds.length)]!;
    const { bytes, how } = mutate(s.bytes, random);
    const t0 = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        decodeOnly(bytes),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`slow: over ${limit} ms`)), limit))),
      ]);
      r.decoded++;
    } catch (err) {
      if (err instanceof OcrError) r.failedByKind[err.kind] = (r.failedByKind[err.kind] ?? 0) + 1;
      else if ((err as Error).message?.startsWith('slow:')) r.slow.push({ seed: s.f, how, ms: Date.now() - t0 });
      else r.unclassified.push({ seed: s.f, how, error: `${(err as Error).name}: ${(err as Error).message}` });
    } finally {
      clearTimeout(timer);
    }
    o.onCase?.(i);
  }
  r.elapsedMs = Date.now() - started;
  return r;
}

export function formatFuzz(r: FuzzReport): string {
  const kinds = Object.entries(r.failedByKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return [
    `fuzz (seed ${r.seed}): ${r.cases} mutated inputs in ${(r.elapsedMs / 1000).toFixed(1)} s`,
    `  decoded ${r.decoded}; failed with a kind: ${kinds || 'none'}`,
    `  unclassified errors: ${r.unclassified.length}; over the time limit: ${r.slow.length}`,
    ...r.unclassified.slice(0, 10).map((u) => `    ! ${u.seed} (${u.how}): ${u.error}`),
    ...r.slow.slice(0, 10).map((u) => `    ! slow ${u.seed} (${u.how}): ${u.ms} ms`),
  ].join('\n');
}

async function cli(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string, dflt: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
  };
  const seed = Number(flag('seed', String(Math.floor(Math.random() * 2 ** 31))));
  const cases = Number(flag('cases', '20000'));
  process.stdout.write(`fuzz: seed ${seed}, ${cases} cases\n`);
  const r = await fuzzDecode({ cases, seed, onCase: (i) => i % 1000 === 999 && process.stdout.write(`  ${i + 1} cases\n`) });
  process.stdout.write(`${formatFuzz(r)}\n`);
  process.exitCode = r.unclassified.length || r.slow.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) void cli();
