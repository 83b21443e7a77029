/**
 * Quire against the native tesseract CLI, end to end, on the issue-11 set:
 * `npm run bench:compare -- --corpus <dir> [--runs 3] [--concurrency 2] [--no-cli] [--keep] [--files <regex>]`
 *
 * Rows, interleaved run by run (the order rotates each run), median of the runs:
 *  - Quire as a user runs it: `node bin/quire.js run <copy of the inputs> --data-dir <fresh>
 *    --concurrency N`, then `node bin/quire.js export --out <dir>` (the txt of every input).
 *  - Quire with each other English model it ships (QUIRE_OCR_MODEL=best|fast).
 *  - The native CLI loop, when `tesseract` is installed: OMP_THREAD_LIMIT=1, `pdftoppm -r 300` for
 *    PDFs, N inputs at a time, with Debian's language data; and the same loop given Quire's own
 *    language data (--tessdata-dir), so engine speed and model choice are seen apart.
 * Columns: inputs done, wall, CPU s per page (CPU of every process the row started, read from
 * /proc/self/stat cutime+cstime; pages = the pages of the set), CER against the corpus GT (inputs
 * without GT count for done and wall only), peak worker RSS (VmHWM of Quire's worker processes,
 * sampled from outside every 100 ms; for the CLI, the largest tesseract process).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import sharp from 'sharp';
import { DEFAULT_OCR_MODEL, modelLangPath, OCR_MODELS } from '../src/core/config/languages';
import { benchInputs, BENCH_DIRS, gtOf, inputType, scoreCer } from './corpus';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const flag = (name: string) => args.includes(`--${name}`);
const corpus = resolve(opt('corpus') ?? '/work/shared/corpus');
const RUNS = Number(opt('runs') ?? 3);
const CONC = Number(opt('concurrency') ?? 2);
const REPO = resolve(import.meta.dirname, '..');
const QUIRE_BIN = join(REPO, 'bin', 'quire.js');
const DEBIAN_TESSDATA = '/usr/share/tesseract-ocr/5/tessdata';
const CLK_TCK = 100; // Linux USER_HZ
const HAVE_TIME = existsSync('/usr/bin/time');

/** CPU seconds of this process's waited-for descendants (children and theirs). */
function childrenCpu(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 (cutime, cstime), counted from 1 with pid and comm as fields 1-2.
  return (Number(f[13]) + Number(f[14])) / CLK_TCK;
}

/** Peak RSS (VmHWM, bytes) of the descendants of `root` (not root itself), sampled until stop(). */
function sampleRss(root: number) {
  const peaks = new Map<number, number>();
  const tick = () => {
    const kids = new Map<number, number[]>();
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const s = readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]);
        kids.set(ppid, [...(kids.get(ppid) ?? []), Number(d)]);
      } catch {
        // gone
      }
    }
    const walk = (pid: number) => {
      for (const k of kids.get(pid) ?? []) {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${k}/status`, 'utf8'));
          if (m) peaks.set(k, Math.max(peaks.get(k) ?? 0, Number(m[1]) * 1024));
        } catch {
          // gone
        }
        walk(k);
      }
    };
    walk(root);
  };
  const timer = setInterval(tick, 100);
  return {
    stop(): number {
      clearInterval(timer);
      return Math.max(0, ...peaks.values());
    },
  };
}

/** Run a command to its end; resolves with its exit code. */
function run(cmd: string, argv: string[], o: { env?: NodeJS.ProcessEnv; onSpawn?: (pid: number) => void; quiet?: boolean } = {}): Promise<number> {
  return new Promise((res, rej) => {
    const c = spawn(cmd, argv, { env: o.env ?? process.env, stdio: ['ignore', 'ignore', o.quiet === false ? 'inherit' : 'ignore'] });
    if (c.pid) o.onSpawn?.(c.pid);
    c.once('error', rej);
    c.once('exit', (code, sig) => res(code ?? (sig ? 128 : 1)));
  });
}

interface RowResult {
  done: number;
  wall: number;
  cpu: number;
  texts: Map<string, string>;
  peakRss: number;
}

/** Quire exactly as a user runs it: `run` on a copy of the inputs, then `export` of the txt. */
async function quireRow(files: string[], work: string, env: NodeJS.ProcessEnv): Promise<RowResult> {
  const inputs = join(work, 'inputs');
  for (const f of files) {
    const to = join(inputs, relative(corpus, f));
    mkdirSync(join(to, '..'), { recursive: true });
    copyFileSync(f, to);
  }
  const dataDir = join(work, 'data');
  const out = join(work, 'out');
  let rss: ReturnType<typeof sampleRss> | undefined;
  const cpu0 = childrenCpu();
  const t0 = Date.now();
  // Every process below `quire run` is a worker (tesseract.js runs in threads, not processes).
  await run(process.execPath, [QUIRE_BIN, 'run', inputs, '--data-dir', dataDir, '--concurrency', String(CONC)], {
    env,
    onSpawn: (pid) => (rss = sampleRss(pid)),
  });
  const peakRss = rss?.stop() ?? 0;
  await run(process.execPath, [QUIRE_BIN, 'export', '--out', out, '--data-dir', dataDir], { env });
  const wall = (Date.now() - t0) / 1000;
  const cpu = childrenCpu() - cpu0;
  const texts = new Map<string, string>();
  for (const f of files) {
    const txt = join(out, join(inputs, relative(corpus, f)) + '.txt');
    if (existsSync(txt)) texts.set(f, readFileSync(txt, 'utf8'));
  }
  return { done: texts.size, wall, cpu, texts, peakRss };
}

/** The native loop: each input through tesseract (PDFs through pdftoppm -r 300 first), CONC at a time. */
async function cliRow(files: string[], work: string, tessdata: string): Promise<RowResult> {
  const env = { ...process.env, OMP_THREAD_LIMIT: '1' };
  const texts = new Map<string, string>();
  let peakRss = 0;
  const one = async (f: string, i: number) => {
    const dir = join(work, `in${i}`);
    mkdirSync(dir, { recursive: true });
    let images = [f];
    if (f.endsWith('.pdf')) {
      if ((await run('pdftoppm', ['-r', '300', f, join(dir, 'p')])) !== 0) return;
      images = readdirSync(dir).filter((n) => n.startsWith('p-')).sort().map((n) => join(dir, n));
      if (!images.length) return;
    }
    const pages: string[] = [];
    for (const [k, img] of images.entries()) {
      const base = join(dir, `t${k}`);
      // Peak RSS from /usr/bin/time (%M, kB): most pages take well under the sampling interval.
      const rssFile = join(dir, `rss${k}`);
      const argv = [img, base, '--tessdata-dir', tessdata, '-l', 'eng'];
      const code = HAVE_TIME ? await run('/usr/bin/time', ['-f', '%M', '-o', rssFile, 'tesseract', ...argv], { env }) : await run('tesseract', argv, { env });
      if (HAVE_TIME && existsSync(rssFile)) peakRss = Math.max(peakRss, Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) * 1024 || 0);
      if (code !== 0 || !existsSync(`${base}.txt`)) return;
      pages.push(readFileSync(`${base}.txt`, 'utf8'));
    }
    texts.set(f, pages.join('\f'));
  };
  const cpu0 = childrenCpu();
  const t0 = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONC }, async () => {
      while (next < files.length) {
        const i = next++;
        await one(files[i]!, i);
      }
    }),
  );
  return { done: texts.size, wall: (Date.now() - t0) / 1000, cpu: childrenCpu() - cpu0, texts, peakRss };
}

/** Pages in the set: PDF pages (pdfinfo), TIFF frames (sharp), 1 for any other image. */
async function countPages(files: string[]): Promise<number> {
  let n = 0;
  for (const f of files) {
    if (f.endsWith('.pdf')) {
      const m = /Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [f], { encoding: 'utf8' }).stdout ?? '');
      n += m ? Number(m[1]) : 1;
    } else {
      n += await sharp(f)
        .metadata()
        .then((m) => (/\.tiff?$/i.test(f) ? (m.pages ?? 1) : 1))
        .catch(() => 1);
    }
  }
  return n;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** One row per English model Quire ships (QUIRE_OCR_MODEL), the default first. */
function quireModels(): { name: string; env: NodeJS.ProcessEnv }[] {
  const models = [DEFAULT_OCR_MODEL, ...OCR_MODELS.filter((m) => m !== DEFAULT_OCR_MODEL)];
  return models
    .filter((m) => modelLangPath(m, join(REPO, 'resources', 'tessdata'), 'eng').endsWith(m === 'fast' ? 'tessdata-fast' : 'tessdata'))
    .map((m) => ({
      name: m === DEFAULT_OCR_MODEL ? `Quire: run then export (${m} model, the default)` : `Quire, ${m} model (QUIRE_OCR_MODEL=${m})`,
      env: { ...process.env, QUIRE_OCR_MODEL: m },
    }));
}

function printTable(
  rows: { name: string }[],
  results: Map<string, RowResult[]>,
  files: string[],
  pages: number,
  haveCli: boolean,
) {
  const cliWall = haveCli ? median(results.get(rows.find((r) => r.name.startsWith('native CLI ('))!.name)!.map((x) => x.wall)) : NaN;
  const cliCpu = haveCli ? median(results.get(rows.find((r) => r.name.startsWith('native CLI ('))!.name)!.map((x) => x.cpu)) : NaN;
  const ratio = (x: number, base: number) => (Number.isFinite(base) ? ` (${(x / base).toFixed(2)}x)` : '');
  console.log(`\n| tool | inputs done | wall | CPU s per page | CER micro | CER mean per input | CER mean: images / pdf / receipts | peak worker RSS |`);
  console.log(`| --- | --- | --- | --- | --- | --- | --- | --- |`);
  for (const row of rows) {
    const rs = results.get(row.name)!;
    if (!rs.length) continue;
    const wall = median(rs.map((x) => x.wall));
    const cpu = median(rs.map((x) => x.cpu));
    // Accuracy of the run whose wall time is the median (runs agree: OCR is deterministic).
    const mid = [...rs].sort((a, b) => a.wall - b.wall)[(rs.length - 1) >> 1]!;
    const scored = files.map((f) => ({ f, text: mid.texts.get(f) ?? '', gt: gtOf(f) }));
    const all = scoreCer(scored);
    const byType = BENCH_DIRS.map((t) => scoreCer(scored.filter((s) => inputType(corpus, s.f) === t)).mean.toFixed(3)).join(' / ');
    const missing = files.filter((f) => !mid.texts.has(f)).map((f) => basename(f));
    console.log(
      `| ${row.name} | ${mid.done}/${files.length}${missing.length ? ` (not: ${missing.join(', ')})` : ''} | ${wall.toFixed(1)} s${ratio(wall, cliWall)} | ` +
        `${(cpu / pages).toFixed(2)}${ratio(cpu, cliCpu)} | ${all.micro.toFixed(3)} | ${all.mean.toFixed(3)} | ${byType} | ${Math.round(Math.max(...rs.map((x) => x.peakRss)) / 1048576)} MB |`,
    );
  }
  console.log(`\nratios against the native CLI with Debian's data; load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}

async function main() {
  // --files <regex>: a subset, for trying the script out (the issue's figures use the whole set).
  const files = benchInputs(corpus).filter((f) => !opt('files') || new RegExp(opt('files')!).test(f));
  const pages = await countPages(files);
  const root = mkdtempSync(join(tmpdir(), 'quire-compare-'));
  const haveCli = !flag('no-cli') && spawnSync('sh', ['-c', 'command -v tesseract && command -v pdftoppm']).status === 0;
  // Quire's own English data, uncompressed, for the CLI.
  const quireData = join(root, 'quire-tessdata');
  mkdirSync(quireData);
  writeFileSync(join(quireData, 'eng.traineddata'), gunzipSync(readFileSync(join(REPO, 'resources', 'tessdata', 'eng.traineddata.gz'))));
  type Row = { name: string; go: (work: string) => Promise<RowResult> };
  const rows: Row[] = quireModels().map((m) => ({ name: m.name, go: (w) => quireRow(files, w, m.env) }));
  if (haveCli) {
    const version = spawnSync('tesseract', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
    rows.push({ name: `native CLI (${version}, Debian data)`, go: (w) => cliRow(files, w, DEBIAN_TESSDATA) });
    rows.push({ name: `native CLI with Quire's language data`, go: (w) => cliRow(files, w, quireData) });
  } else {
    console.log('tesseract or pdftoppm not installed (apt-get install -y tesseract-ocr poppler-utils): CLI rows skipped');
  }
  if (process.env.OCR_TIMEOUT_SECONDS) console.log(`OCR_TIMEOUT_SECONDS=${process.env.OCR_TIMEOUT_SECONDS} for Quire (a loaded machine otherwise times out long documents)`);
  console.log(
    `corpus ${corpus}: ${files.length} inputs (${BENCH_DIRS.join(', ')}; not pdf/ocrmypdf-hugemono.pdf), ${pages} pages; ` +
      `${RUNS} run(s), concurrency ${CONC}, ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`,
  );
  const results = new Map<string, RowResult[]>(rows.map((r) => [r.name, []]));
  try {
    for (let r = 0; r < RUNS; r++) {
      for (let k = 0; k < rows.length; k++) {
        const row = rows[(r + k) % rows.length]!;
        const work = join(root, `run${r}-${k}`);
        mkdirSync(work);
        const res = await row.go(work);
        results.get(row.name)!.push(res);
        console.log(`  run ${r + 1} ${row.name}: ${res.done}/${files.length} done, wall ${res.wall.toFixed(1)} s, CPU ${res.cpu.toFixed(1)} s, load ${loadavg()[0]!.toFixed(1)}`);
        if (!flag('keep')) rmSync(work, { recursive: true, force: true });
      }
      // The table so far after every round: a long run stopped early still leaves its figures.
      if (r < RUNS - 1) {
        console.log(`\nafter ${r + 1} of ${RUNS} runs:`);
        printTable(rows, results, files, pages, haveCli);
      }
    }
  } finally {
    if (!flag('keep')) rmSync(root, { recursive: true, force: true });
    else console.log(`kept ${root}`);
  }
  console.log(`\nmedian of ${RUNS} run(s):`);
  printTable(rows, results, files, pages, haveCli);

}

await main();
