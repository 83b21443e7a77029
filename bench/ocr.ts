/**
 * OCR engine benchmark: `npm run bench:ocr -- --corpus <dir> [--pages 500] [--no-cli] [--skip-scaling] [--raster-only]
 *   [--accuracy-only | --no-accuracy] [--extra <fixture dir>]... [--with-extra] [--lang eng+deu]`
 *
 * Prints: pages/hour for one worker process and for two at once (scaling), peak RSS per worker and
 * its growth over the run, CER against the corpus ground truth (micro-average, strict), the
 * tesseract CLI (OMP_THREAD_LIMIT=1, same decoded pages) as a throughput ratio when installed, and
 * PDF rasterisation time against OCR time per scanned PDF page. First, accuracy per input type
 * (bench/ocr-accuracy.ts): every input once, CER grouped by the MANIFEST kind, and bad/ kinds.
 */
import { execFileSync, fork, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import sharp from 'sharp';
import { renderPage } from '../src/core/ocr/image';
import { filePages } from '../src/core/ocr/sources';
import type { PageImage } from '../src/core/ocr/image';
import { readEnvironment } from '../src/core/config/environment';
import { openPdf } from '../src/core/ocr/pdf';
import { sniffFormat } from '../src/core/ocr/sniff';
import { startWorker } from '../src/core/ocr/tesseract-worker';
import type { TesseractModule } from '../src/core/ocr/tesseract-worker';
import { silentLogger } from '../src/core/logger';
import { cer, jpegPdf } from '../test/ocr-helpers';
import { accuracyReport } from './ocr-accuracy';
import { deskewReport } from './deskew';
import { writeExtraInputs } from './extra-inputs';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const flag = (name: string) => args.includes(`--${name}`);
const corpus = resolve(opt('corpus') ?? '/work/shared/corpus');
const PAGES = Number(opt('pages') ?? 500);
const MB = (b: number) => Math.round(b / 1024 / 1024);

interface Msg {
  type: 'doc' | 'error' | 'done';
  file?: string;
  pages?: number;
  ms?: number;
  cpuMs?: number;
  text?: string;
  rss?: number;
  done?: number;
  kind?: string;
  startupMs?: number;
  wallMs?: number;
  peakRss?: number;
  sources?: string[];
}

function inputs(): string[] {
  const out: string[] = [];
  for (const dir of ['images', 'pdf', 'receipts']) {
    const d = join(corpus, dir);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d).sort()) {
      if (/\.(gt|fields)\.txt$/.test(f)) continue;
      const p = join(d, f);
      if (sniffFormat(readFileSync(p).subarray(0, 1024))) out.push(p);
    }
  }
  return out;
}

const gtOf = (file: string) => {
  const g = file.replace(/\.[^.]+$/, '.gt.txt');
  return existsSync(g) ? readFileSync(g, 'utf8') : null;
};

function runWorker(files: string[], pages: number): Promise<{ docs: Msg[]; errors: Msg[]; done: Msg }> {
  return new Promise((res, rej) => {
    const child = fork(join(import.meta.dirname, 'ocr-worker.ts'), [], { execArgv: ['--import', 'tsx'], serialization: 'advanced' });
    const docs: Msg[] = [];
    const errors: Msg[] = [];
    child.on('message', (m: Msg) => {
      if (m.type === 'doc') docs.push(m);
      else if (m.type === 'error') errors.push(m);
      else res({ docs, errors, done: m });
    });
    child.on('exit', (code) => code && rej(new Error(`worker exited ${code}`)));
    child.send({ files, pages });
  });
}

function scoreCer(docs: { file: string; text: string }[]): { dist: number; len: number; files: number } {
  const seen = new Set<string>();
  let dist = 0;
  let len = 0;
  for (const d of docs) {
    if (seen.has(d.file)) continue;
    seen.add(d.file);
    const g = gtOf(d.file);
    if (!g) continue;
    const c = cer(d.text, g);
    dist += c.dist;
    len += c.len;
  }
  return { dist, len, files: seen.size };
}

async function main() {
  const files = inputs();
  const extra = args.flatMap((a, i) => (args[i - 1] === '--extra' ? [resolve(a)] : []));
  if (flag('with-extra')) {
    const dir = mkdtempSync(join(tmpdir(), 'quire-bench-extra-'));
    await writeExtraInputs(dir);
    extra.push(dir);
  }
  if (!flag('no-accuracy')) {
    await accuracyReport(corpus, extra, opt('lang') ?? 'eng');
    await deskewReport(corpus, extra);
  }
  if (flag('accuracy-only')) return;
  if (flag('raster-only')) {
    await rasterVsOcr();
    return;
  }
  console.log(`corpus ${corpus}: ${files.length} inputs (images, pdf, receipts), target ${PAGES} pages per run`);

  // 1. One worker.
  const one = await runWorker(files, PAGES);
  const perHourWall1 = (one.done.pages! / one.done.wallMs!) * 3_600_000;
  // The machine is shared and noisy: CPU time per page (user+sys, all threads) is the steadier
  // measure of what one worker on a core of its own does.
  const cpu1 = one.docs.reduce((a, d) => a + d.cpuMs!, 0);
  const perHour1 = (one.done.pages! / cpu1) * 3_600_000;
  const rss = one.docs.map((d) => d.rss!);
  const warm = one.docs.find((d) => d.done! >= Math.min(30, PAGES / 4))?.rss ?? rss[0]!;
  const last = rss[rss.length - 1]!;
  const c1 = scoreCer(one.docs.map((d) => ({ file: d.file!, text: d.text! })));
  console.log('\n== tesseract.js engine, 1 worker process');
  console.log(`pages ${one.done.pages}, wall ${(one.done.wallMs! / 1000).toFixed(1)} s (${Math.round(perHourWall1)} pages/hour by wall clock), CPU ${(cpu1 / 1000).toFixed(1)} s = ${(cpu1 / one.done.pages! / 1000).toFixed(2)} CPU-s/page = ${Math.round(perHour1)} pages/hour per worker on its own core; start-up ${one.done.startupMs} ms`);
  console.log(`peak RSS ${MB(one.done.peakRss!)} MB; RSS after warm-up ${MB(warm)} MB -> at end ${MB(last)} MB (growth ${(((last - warm) / warm) * 100).toFixed(1)}%)`);
  console.log(`CER (strict, micro-average over ${c1.files} inputs with GT): ${((c1.dist / c1.len) * 100).toFixed(2)}% (${c1.dist}/${c1.len})`);
  if (one.errors.length) console.log(`failures: ${[...new Set(one.errors.map((e) => `${basename(e.file!)}=${e.kind}`))].join(', ')}`);
  // RSS trajectory, every ~10% of the run, for the recycling recommendation.
  const step = Math.max(1, Math.floor(one.docs.length / 10));
  console.log('RSS over the run (pages done: MB): ' + one.docs.filter((_, i) => i % step === 0).map((d) => `${d.done}:${MB(d.rss!)}`).join(' '));

  // 2. Two workers at once, each doing half the pages (the same total work as the single worker).
  if (!flag('skip-scaling')) {
    const t = Date.now();
    const half = Math.ceil(PAGES / 2);
    const [a, b] = await Promise.all([runWorker(files, half), runWorker([...files.slice(files.length / 2), ...files.slice(0, files.length / 2)], half)]);
    const cpu2 = [...a.docs, ...b.docs].reduce((x, d) => x + d.cpuMs!, 0);
    const wall = Math.max(a.done.wallMs!, b.done.wallMs!);
    const perHour2 = ((a.done.pages! + b.done.pages!) / wall) * 3_600_000;
    console.log('\n== 2 worker processes at once');
    console.log(`pages ${a.done.pages! + b.done.pages!}, wall ${(wall / 1000).toFixed(1)} s (total incl. start ${((Date.now() - t) / 1000).toFixed(1)} s), ${Math.round(perHour2)} pages/hour by wall clock = ${(perHour2 / perHourWall1).toFixed(2)}x one worker by wall clock (only meaningful on an otherwise idle machine; load average now ${loadavg()[0]!.toFixed(1)})`);
    console.log(`CPU per page with two running: ${(cpu2 / (a.done.pages! + b.done.pages!) / 1000).toFixed(2)} s (one alone: ${(cpu1 / one.done.pages! / 1000).toFixed(2)} s; equal means no contention for memory bandwidth/caches)`);
    console.log(`peak RSS per worker ${MB(a.done.peakRss!)} / ${MB(b.done.peakRss!)} MB`);
  }

  // 3. Decoded pages (our pipeline) for the CLI and the rasterisation comparison.
  const tmp = mkdtempSync(join(tmpdir(), 'quire-bench-ocr-'));
  try {
    const pagesOf = new Map<string, string[]>();
    for (const f of files) {
      const bytes = readFileSync(f);
      const fmt = sniffFormat(bytes);
      const out: string[] = [];
      try {
        if (fmt === 'pdf') {
          const doc = await openPdf(bytes, { keepExistingText: false, logger: silentLogger });
          for (let n = 1; n <= doc.pageCount; n++) {
            const p = await doc.page(n);
            if (p.kind === 'image' && p.source.kind === 'sharp') out.push(writePgm(tmp, await renderPage(p.source)));
          }
          await doc.close();
        } else if (fmt) {
          for (const src of await filePages(bytes, fmt)) if (src.kind === 'sharp') out.push(writePgm(tmp, await renderPage(src)));
        }
      } catch {
        // failures were reported by the engine run
      }
      pagesOf.set(f, out);
    }

    // 4. PDF rasterisation vs OCR.
    await rasterVsOcr();

    // 5. The tesseract CLI on the same decoded pages.
    // CER side by side only where every page was OCR'd (the CLI gets no image for a text-layer page).
    const ocrOnly = new Set(one.docs.filter((d) => d.sources!.every((s) => s === 'ocr')).map((d) => d.file!));
    const cOcr = scoreCer(one.docs.filter((d) => ocrOnly.has(d.file!)).map((d) => ({ file: d.file!, text: d.text! })));
    const ours = new Map(one.docs.map((d) => [d.file!, d.text!]));
    if (!flag('no-cli')) cliComparison([...files].filter((f) => ocrOnly.has(f)), files, pagesOf, tmp, PAGES, perHour1, cOcr, ours);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

let pgmCount = 0;
function writePgm(dir: string, page: PageImage): string {
  const p = join(dir, `p${pgmCount++}-${page.dpi}.pgm`);
  writeFileSync(p, page.pgm);
  return p;
}

async function rasterVsOcr() {
  console.log('\n== PDF rasterisation vs OCR, per scanned page');
  const tess = (await import('tesseract.js')).default as unknown as TesseractModule;
  const w = await startWorker(tess, { langs: 'eng', langPath: readEnvironment().tessdataDir, timeoutMs: 60_000, log: silentLogger, kind: 'lstm' });
  // A real JPEG scan (meditations.jpg) wrapped as a scanner would, plus the corpus's scanned PDFs.
  const cases: { name: string; bytes: Buffer }[] = [];
  const med = join(corpus, 'images', 'tessjs-meditations.jpg');
  if (existsSync(med)) {
    const meta = await sharp(med).metadata();
    cases.push({ name: 'meditations.jpg as a JPEG-scan PDF', bytes: jpegPdf(readFileSync(med), meta.width!, meta.height!, 3, 300) });
  }
  for (const f of ['ocrmypdf-jbig2.pdf', 'ocrmypdf-aspect.pdf', 'ocrmypdf-enormous.pdf', 'ocrmypdf-multipage.pdf']) {
    const p = join(corpus, 'pdf', f);
    if (existsSync(p)) cases.push({ name: f, bytes: readFileSync(p) });
  }
  for (const c of cases) {
    for (const nativeImages of [true, false]) {
      const doc = await openPdf(c.bytes, { keepExistingText: false, logger: silentLogger, nativeImages });
      let raster = 0;
      let ocr = 0;
      let n = 0;
      const via = new Set<string>();
      for (let i = 1; i <= doc.pageCount; i++) {
        // CPU time (all threads), as elsewhere: wall time on this shared machine is noise.
        const t = process.cpuUsage();
        const p = await doc.page(i);
        if (p.kind !== 'image' || p.source.kind !== 'sharp') continue;
        const img = await renderPage(p.source);
        const tr = process.cpuUsage(t);
        raster += (tr.user + tr.system) / 1000;
        via.add(p.via);
        const t2 = process.cpuUsage();
        await w.recognize(img.pgm, img.dpi);
        const to = process.cpuUsage(t2);
        ocr += (to.user + to.system) / 1000;
        n++;
      }
      await doc.close();
      if (!n) continue;
      if (!nativeImages && !via.size) continue;
      console.log(
        `${c.name} [${[...via].join('+')}${nativeImages ? '' : ', pdfjs forced'}]: ${n} page(s), rasterise ${(raster / n / 1000).toFixed(2)} s/page, OCR ${(ocr / n / 1000).toFixed(2)} s/page, rasterise/OCR ${((raster / ocr) * 100).toFixed(1)}%`,
      );
      if (![...via].includes('native')) break; // pdfjs already: forcing changes nothing
    }
  }
  await w.terminate();
}

function cliComparison(
  scored: string[],
  files: string[],
  pagesOf: Map<string, string[]>,
  tmp: string,
  pages: number,
  perHour1: number,
  c1: { dist: number; len: number },
  ours: Map<string, string>,
) {
  const which = spawnSync('sh', ['-c', 'command -v tesseract']);
  if (which.status !== 0) {
    console.log('\n== tesseract CLI: not installed (apt-get install -y tesseract-ocr), comparison skipped');
    return;
  }
  const version = execFileSync('tesseract', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  // The same best_int eng data tesseract.js uses, uncompressed for the CLI.
  const data = join(tmp, 'tessdata');
  mkdirSync(data);
  writeFileSync(join(data, 'eng.traineddata'), gunzipSync(readFileSync(join(readEnvironment().tessdataDir, 'eng.traineddata.gz'))));
  const env = { ...process.env, OMP_THREAD_LIMIT: '1' };
  const hasTime = existsSync('/usr/bin/time');
  let cliCpuMs = 0;
  const run = (pgm: string) => {
    const dpi = /-(\d+)\.pgm$/.exec(pgm)?.[1] ?? '300';
    const argv = [pgm, join(tmp, 'cli-out'), '--tessdata-dir', data, '-l', 'eng', '--psm', '3', '--dpi', dpi];
    const t = Date.now();
    const r = hasTime
      ? spawnSync('/usr/bin/time', ['-f', '%U %S', 'tesseract', ...argv], { env, encoding: 'utf8' })
      : spawnSync('tesseract', argv, { env, encoding: 'utf8' });
    const times = /(\d+\.\d+) (\d+\.\d+)\s*$/.exec(r.stderr ?? '');
    cliCpuMs += times ? (Number(times[1]) + Number(times[2])) * 1000 : Date.now() - t;
    return readFileSync(join(tmp, 'cli-out.txt'), 'utf8');
  };
  // CER: every input with GT once.
  const perFile: string[] = [];
  let dist = 0;
  let len = 0;
  for (const f of scored) {
    const g = gtOf(f);
    const ps = pagesOf.get(f) ?? [];
    if (!g || !ps.length) continue;
    const c = cer(ps.map(run).join('\f'), g);
    dist += c.dist;
    len += c.len;
    perFile.push(`${basename(f)} ${(cer(ours.get(f) ?? '', g).cer * 100).toFixed(1)}/${(c.cer * 100).toFixed(1)}`);
  }
  // Throughput: the same cycling page list as the engine run.
  const list = files.flatMap((f) => pagesOf.get(f) ?? []);
  cliCpuMs = 0;
  let done = 0;
  for (let i = 0; done < pages && list.length; i++, done++) run(list[i % list.length] as string);
  const perHour = (done / cliCpuMs) * 3_600_000;
  console.log(`\n== ${version} CLI, OMP_THREAD_LIMIT=1, same decoded pages (PGM, our decode not counted for it)`);
  console.log(`${done} pages, ${(cliCpuMs / done / 1000).toFixed(2)} CPU-s/page = ${Math.round(perHour)} pages/hour; tesseract.js/CLI throughput ratio (CPU time) ${(perHour1 / perHour).toFixed(2)}`);
  console.log(`per-file CER % (tesseract.js/CLI): ${perFile.join(', ')}`);
  console.log(`CER on the ${scored.length} inputs OCR'd throughout (no text-layer pages): CLI ${((dist / len) * 100).toFixed(2)}% vs tesseract.js ${((c1.dist / c1.len) * 100).toFixed(2)}%`);
}

await main();
