/**
 * Seeded fuzzing of every reader of user bytes (targets.ts): the PDF object reader, page content,
 * BMP, PNM, images through sharp, and whole PDFs through pdfjs and our reader. Inputs are real
 * fixtures mutated (bit flips, truncation, chunk duplication, and for PDFs the syntax-aware
 * mutations of pdf-mutate.ts: unterminated strings, dictionaries and arrays, xref offsets into the
 * middle of tokens, self-referencing xref chains, lying /Length, deflate bombs). Each input must
 * end with a result or an OcrError carrying a kind. Inputs run in a child process, one at a time.
 *
 *   npm run test:fuzz -- [--cases 20000] [--seed N] [--target objects] [--deadline-ms 10000]
 *
 * The bounded version runs inside `npm test` (test/fuzz/fuzz.test.ts), where a hang shows as the
 * test's timeout; this long run gives each input a deadline instead and reports the ones past it.
 */
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeStream, PdfObjects } from '../../src/core/ocr/pdf-objects';
import { OCR_FIXTURES, rng } from '../chaos/inputs';
import { REPO_ROOT } from '../repo-root';
import { mutatePdf, PDF_MUTATIONS } from './pdf-mutate';
import type { Outcome, Target } from './targets';
import { TARGETS } from './targets';

export { decodeOnly } from './targets';

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
const PDF_SEEDS = ['pypdf-pdflatex-4-pages.pdf', 'ocrmypdf-aspect.pdf', 'pdfminer-zen_of_python_corrupted.pdf', 'ocrmypdf-graph_ocred.pdf', 'pypdf-libreoffice-writer-password.pdf'];
const IMAGE_SEEDS = FUZZ_SEEDS.filter((f) => !f.endsWith('.pdf'));

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

/** Header fields worth lying in: offsets, header size, width, height, bpp, compression, colours used. */
const BMP_FIELDS: [offset: number, size: 2 | 4][] = [[10, 4], [14, 4], [18, 4], [22, 4], [28, 2], [30, 4], [46, 4]];
const EXTREMES = [0, 1, 4, 8, 0x7fffffff, 0xffffffff, 0x80000000, 54, 40, 3, 16, 32];

function mutateBmp(src: Buffer, random: () => number): { bytes: Buffer; how: string } {
  if (random() < 0.4) return mutate(src, random);
  const b = Buffer.from(src);
  const hows: string[] = [];
  // One to three fields at once: some faults need two (a colour count only matters at 8 bits or fewer).
  for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
    const [off, size] = BMP_FIELDS[Math.floor(random() * BMP_FIELDS.length)]!;
    const v = random() < 0.6 ? EXTREMES[Math.floor(random() * EXTREMES.length)]! : Math.floor(random() * 2 ** (size * 8));
    if (size === 2) b.writeUInt16LE(v & 0xffff, off);
    else b.writeUInt32LE(v >>> 0, off);
    hows.push(`${off}=${v}`);
  }
  const how = `fields ${hows.join(',')}`;
  return { bytes: random() < 0.3 ? b.subarray(0, 54 + Math.floor(random() * 64)) : b, how };
}

const PNM_SEEDS = ['P1\n# c\n3 2\n1 0 1\n0 1 0\n', 'P2 2 2 15 0 15 7 3', 'P3\n1 1\n255\n1 2 3\n', 'P5 2 1 255\n\x00\xff', 'P6 1 1 65535\n\x00\x01\x02\x03\x04\x05'];

function mutatePnm(src: Buffer, random: () => number): { bytes: Buffer; how: string } {
  if (random() < 0.5) return mutate(src, random);
  // A header number replaced by a huge, zero or long one.
  const s = src.toString('latin1');
  const nums = [...s.matchAll(/\d+/g)].filter((m) => (m.index ?? 0) > 1);
  const m = nums[Math.floor(random() * nums.length)];
  if (!m) return mutate(src, random);
  const v = ['0', '99999', '4294967296', '1'.repeat(400), '65536'][Math.floor(random() * 5)]!;
  return { bytes: Buffer.from(s.slice(0, m.index) + v + s.slice((m.index ?? 0) + m[0].length), 'latin1'), how: `number=${v.slice(0, 12)}` };
}

/** The inflated page content streams of the PDF fixtures: seeds for the content target. */
function contentSeeds(): Buffer[] {
  const out: Buffer[] = [];
  for (const f of PDF_SEEDS) {
    const objs = new PdfObjects(readFileSync(join(OCR_FIXTURES, f)));
    for (const n of objs.numbers()) {
      const page = objs.dict({ ref: n });
      if (page?.dict.get('/Type') !== '/Page') continue;
      const c = objs.dict(page.dict.get('/Contents'));
      try {
        if (c) out.push(decodeStream(c, objs, 64 * 1024 * 1024));
      } catch {
        // an encrypted or damaged stream is no seed
      }
    }
  }
  return out;
}

export interface FuzzCase {
  seed: string;
  how: string;
  bytes: Buffer;
}

/** A case generator per target, from the fixtures. */
export function caseMaker(target: Target, seed: number): () => FuzzCase {
  const random = rng(seed);
  const read = (f: string) => readFileSync(join(OCR_FIXTURES, f));
  const choose = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  if (target === 'objects' || target === 'pdf') {
    const pdfs = PDF_SEEDS.map((f) => ({ f, b: read(f) }));
    return () => {
      const s = choose(pdfs);
      if (random() < 0.4) {
        const m = mutate(s.b, random);
        return { seed: s.f, how: m.how, bytes: m.bytes };
      }
      const how = choose(PDF_MUTATIONS);
      return { seed: s.f, how, bytes: mutatePdf(s.b, how, random) };
    };
  }
  if (target === 'content') {
    const seeds = contentSeeds();
    return () => {
      const i = Math.floor(random() * seeds.length);
      const m = mutate(seeds[i]!, random);
      return { seed: `content#${i}`, how: m.how, bytes: m.bytes };
    };
  }
  if (target === 'bmp') {
    const b = read('tessjs-simple-bmp.bmp');
    return () => ({ seed: 'tessjs-simple-bmp.bmp', ...mutateBmp(b, random) });
  }
  if (target === 'pnm') {
    const seeds = [read('tessjs-simple-pbm.pbm'), ...PNM_SEEDS.map((s) => Buffer.from(s, 'latin1'))];
    return () => {
      const i = Math.floor(random() * seeds.length);
      return { seed: `pnm#${i}`, ...mutatePnm(seeds[i]!, random) };
    };
  }
  const images = IMAGE_SEEDS.map((f) => ({ f, b: read(f) }));
  return () => {
    const s = choose(images);
    const m = mutate(s.b, random);
    return { seed: s.f, how: m.how, bytes: m.bytes };
  };
}

/** The child process that runs the targets (child.ts), one input at a time. */
export class FuzzChild {
  private child: ChildProcess | undefined;
  private nextId = 1;
  /** The input running now: what a hang is reported with. */
  current: { target: Target; c: FuzzCase } | undefined;

  private async start(): Promise<ChildProcess> {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const child = fork(join(REPO_ROOT, 'test/fuzz/child.ts'), [], { execArgv: ['--import', tsx], serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code, signal) => reject(new Error(`the fuzz child exited (${code ?? signal}) before it was ready`)));
    });
    this.child = child;
    return child;
  }

  /** One input; 'hung' when `deadlineMs` passes first (the child is then killed, and restarted by the next call). */
  async run(target: Target, c: FuzzCase, deadlineMs?: number): Promise<Outcome | 'hung' | { ok: false; crashed: string }> {
    const child = this.child ?? (await this.start());
    const id = this.nextId++;
    this.current = { target, c };
    try {
      return await new Promise((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const done = (v: Outcome | 'hung' | { ok: false; crashed: string }) => {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve(v);
        };
        const onMessage = (m: { id?: number; outcome?: Outcome }) => m.id === id && m.outcome && done(m.outcome);
        const onExit = (code: number | null, signal: string | null) => {
          this.child = undefined;
          done({ ok: false, crashed: `exit ${code ?? signal}` });
        };
        child.on('message', onMessage);
        child.on('exit', onExit);
        if (deadlineMs) {
          timer = setTimeout(() => {
            this.kill();
            done('hung');
          }, deadlineMs);
        }
        child.send({ id, target, bytes: c.bytes });
      });
    } finally {
      this.current = undefined;
    }
  }

  kill(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }
}

export interface FuzzReport {
  target: Target;
  seed: number;
  cases: number;
  ok: number;
  failedByKind: Record<string, number>;
  /** Threw something that is not an OcrError (would reach the queue as an unclassified engine_error). */
  unclassified: { seed: string; how: string; error: string }[];
  /** The child died (a native crash, or out of memory). */
  crashed: { seed: string; how: string; error: string }[];
  /** Past the deadline (the long run only; in the test a hang is the test's timeout). */
  hung: { seed: string; how: string }[];
  elapsedMs: number;
}

export async function fuzz(child: FuzzChild, o: { target: Target; cases: number; seed: number; deadlineMs?: number; onCase?: (i: number) => void }): Promise<FuzzReport> {
  const next = caseMaker(o.target, o.seed);
  const r: FuzzReport = { target: o.target, seed: o.seed, cases: o.cases, ok: 0, failedByKind: {}, unclassified: [], crashed: [], hung: [], elapsedMs: 0 };
  const started = Date.now();
  for (let i = 0; i < o.cases; i++) {
    const c = next();
    const out = await child.run(o.target, c, o.deadlineMs);
    if (out === 'hung') r.hung.push({ seed: c.seed, how: c.how });
    else if (out.ok) r.ok++;
    else if ('kind' in out) r.failedByKind[out.kind] = (r.failedByKind[out.kind] ?? 0) + 1;
    else if ('crashed' in out) r.crashed.push({ seed: c.seed, how: c.how, error: out.crashed });
    else r.unclassified.push({ seed: c.seed, how: c.how, error: out.unclassified });
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
    `fuzz ${r.target} (seed ${r.seed}): ${r.cases} mutated inputs in ${(r.elapsedMs / 1000).toFixed(1)} s`,
    `  read ${r.ok}; failed with a kind: ${kinds || 'none'}`,
    `  unclassified errors: ${r.unclassified.length}; crashed: ${r.crashed.length}; past the deadline: ${r.hung.length}`,
    ...[...r.unclassified, ...r.crashed].slice(0, 10).map((u) => `    ! ${u.seed} (${u.how}): ${u.error}`),
    ...r.hung.slice(0, 10).map((u) => `    ! hung ${u.seed} (${u.how})`),
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
  const only = flag('target', '');
  const deadlineMs = Number(flag('deadline-ms', '10000'));
  const targets = only ? [only as Target] : [...TARGETS];
  process.stdout.write(`fuzz: seed ${seed}, ${cases} cases per target (${targets.join(', ')}), ${deadlineMs} ms deadline per input\n`);
  const child = new FuzzChild();
  let bad = 0;
  try {
    for (const target of targets) {
      const r = await fuzz(child, { target, cases, seed, deadlineMs, onCase: (i) => i % 1000 === 999 && process.stdout.write(`  ${target}: ${i + 1} cases\n`) });
      process.stdout.write(`${formatFuzz(r)}\n`);
      bad += r.unclassified.length + r.crashed.length + r.hung.length;
    }
  } finally {
    child.kill();
  }
  process.exitCode = bad ? 1 : 0;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) void cli();
