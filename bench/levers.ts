/**
 * Engine levers, one at a time: `npx tsx bench/levers.ts --corpus <dir> [--variants base,invert0,...] [--per-file] [--files <regex>] [--saved] [--list]`
 *
 * Runs the real engine (src/core/ocr/tesseract.ts) over the issue-11 input set (images/, pdf/,
 * receipts/ except pdf/ocrmypdf-hugemono.pdf), one fresh process per variant, one page at a time,
 * and prints per variant: CPU seconds per page (all threads, by stage: render, blank check, OCR,
 * OSD, re-read), start-up CPU, and CER (micro-average and mean per input) overall and per input
 * type (images, pdf, receipts). CPU time, not wall time: the machine is shared.
 */
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { createLogger } from '../src/core/logger';
import type { OcrModel } from '../src/core/config/languages';
import { readEnvironment } from '../src/core/config/environment';
import { makeTesseractEngineFactory } from '../src/core/ocr/tesseract';
import type { TesseractModule } from '../src/core/ocr/tesseract-worker';
import type { OcrTuning } from '../src/core/ocr/tuning';
import { benchInputs, gtOf, inputType, scoreCer } from './corpus';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const corpus = resolve(opt('corpus') ?? '/work/shared/corpus');
const nodeRequire = createRequire(import.meta.url);

interface Variant {
  tuning?: Partial<OcrTuning>;
  /** The English model (the ocr_model setting). */
  model?: OcrModel;
  /** Force a tesseract.js-core build (bench/tess-core-worker.mjs). */
  core?: string;
  execArgv?: string[];
}

const VARIANTS: Record<string, Variant> = {
  base: {},
  invert0: { tuning: { params: { tessedit_do_invert: '0' } } },
  nodict: { tuning: { initParams: { load_system_dawg: '0', load_freq_dawg: '0' } } },
  // The LSTM's own dictionary beam search (lstm-word/punc/number dawgs) hangs on this one.
  'nodict-lstm': { tuning: { initParams: { lstm_use_matrix: '0' } } },
  psm1: { tuning: { params: { tessedit_pageseg_mode: '1' } } },
  psm4: { tuning: { params: { tessedit_pageseg_mode: '4' } } },
  psm6: { tuning: { params: { tessedit_pageseg_mode: '6' } } },
  'core-lstm': { core: 'lstm' },
  'core-simd-lstm': { core: 'simd-lstm' },
  'core-relaxedsimd-lstm': { core: 'relaxedsimd-lstm', execArgv: ['--experimental-wasm-relaxed-simd'] },
  fast: { model: 'fast' },
  best: { model: 'best' },
  'osd-never': { tuning: { orientationCheckBelow: 0 } },
  'osd-below70': { tuning: { orientationCheckBelow: 70 } },
  'no-blank-check': { tuning: { skipBlankPages: false } },
  // The defaults before issue 11: OSD below 70 on every page, no blank-page check.
  before: { tuning: { skipBlankPages: false, orientationNeedsWords: false, orientationCheckBelow: 70 } },
  'dpi-300': { tuning: { downscaleAboveDpi: 300, targetDpi: 300 } },
  'dpi-250': { tuning: { downscaleAboveDpi: 250, targetDpi: 250 } },
  'dpi-200': { tuning: { downscaleAboveDpi: 200, targetDpi: 200 } },
  'dpi-350': { tuning: { downscaleAboveDpi: 350, targetDpi: 350 } },
};

interface FileResult {
  file: string;
  type: string;
  pages: number;
  cpuMs: number;
  stages: Record<string, number>;
  text?: string;
  notes: string[];
  error?: string;
}

async function child(name: string) {
  const v = VARIANTS[name];
  if (!v) throw new Error(`unknown variant ${name}`);
  const stages: Record<string, number> = {};
  let notes: string[] = [];
  const logger = createLogger({
    level: 'debug',
    sink: (line) => {
      if (line.msg === 'orientation checked') notes.push(`rot${String(line.degrees)}:${String(line.before)}->${String(line.after)}`);
      if (line.msg !== 'page') return;
      notes.push(`${String(line.width)}x${String(line.height)}@${String(line.dpi)}dpi c${String(line.confidence)}${line.blank ? ' blank' : ''}`);
      for (const k of ['render', 'blank', 'ocr', 'osd', 'reread']) if (typeof line[k] === 'number') stages[k] = (stages[k] ?? 0) + (line[k] as number);
    },
  });
  let tesseract: TesseractModule | undefined;
  if (v.core) {
    process.env.QUIRE_TESS_CORE = v.core;
    const real = nodeRequire('tesseract.js') as TesseractModule;
    const workerPath = join(import.meta.dirname, 'tess-core-worker.mjs');
    tesseract = { OEM: real.OEM, createWorker: (l, o, options, config) => real.createWorker(l, o, { ...options, workerPath }, config) };
  }
  const c0 = process.cpuUsage();
  const engine = await makeTesseractEngineFactory({ tesseract, logger, tuning: v.tuning })({
    languages: 'eng',
    langPath: readEnvironment().tessdataDir,
    keepExistingText: false,
    model: v.model,
    fastLangPath: readEnvironment().tessdataFastDir,
  });
  const cs = process.cpuUsage(c0);
  const results: FileResult[] = [];
  const only = opt('files') ? new RegExp(opt('files')!) : null;
  for (const file of benchInputs(corpus).filter((f) => !only || only.test(f))) {
    for (const k of Object.keys(stages)) delete stages[k];
    notes = [];
    const t = process.cpuUsage();
    try {
      const r = await engine.recognize({ path: file, kind: '', bytes: readFileSync(file) });
      const c = process.cpuUsage(t);
      results.push({ file, type: inputType(corpus, file), pages: r.pages.length, cpuMs: (c.user + c.system) / 1000, stages: { ...stages }, text: r.text, notes });
    } catch (err) {
      const c = process.cpuUsage(t);
      results.push({ file, type: inputType(corpus, file), pages: 0, cpuMs: (c.user + c.system) / 1000, stages: { ...stages }, notes, error: (err as { kind?: string }).kind ?? String(err) });
    }
  }
  await engine.close();
  process.send?.({ startupCpuMs: (cs.user + cs.system) / 1000, results });
}

function runChild(name: string): Promise<{ startupCpuMs: number; results: FileResult[] }> {
  const v = VARIANTS[name]!;
  return new Promise((res, rej) => {
    const c = fork(import.meta.filename, ['--child', name, '--corpus', corpus, ...(opt('files') ? ['--files', opt('files')!] : [])], {
      execArgv: ['--import', 'tsx', ...(v.execArgv ?? [])],
      serialization: 'advanced',
    });
    c.once('message', (m) => res(m as { startupCpuMs: number; results: FileResult[] }));
    c.once('exit', (code) => (code ? rej(new Error(`${name} exited ${code}`)) : undefined));
  });
}

const pct = (x: number) => (x * 100).toFixed(2);

function summarise(name: string, r: { startupCpuMs: number; results: FileResult[] }, perFile: boolean) {
  const rows = r.results;
  const pages = rows.reduce((a, x) => a + x.pages, 0);
  const cpu = rows.reduce((a, x) => a + x.cpuMs, 0);
  const st: Record<string, number> = {};
  for (const x of rows) for (const [k, ms] of Object.entries(x.stages)) st[k] = (st[k] ?? 0) + ms;
  // A failed input scores as empty text (CER 1), as in bench/compare.ts.
  const scored = rows.map((x) => ({ file: x.file, type: x.type, text: x.text ?? '', gt: gtOf(x.file) }));
  const all = scoreCer(scored);
  const byType = ['images', 'pdf', 'receipts'].map((t) => {
    const s = scoreCer(scored.filter((x) => x.type === t));
    const tp = rows.filter((x) => x.type === t);
    const tpages = tp.reduce((a, x) => a + x.pages, 0);
    return `${t} ${pct(s.micro)}%/${pct(s.mean)}% ${(tp.reduce((a, x) => a + x.cpuMs, 0) / tpages / 1000).toFixed(2)}s/p`;
  });
  const done = rows.filter((x) => !x.error).length;
  console.log(
    `${name.padEnd(22)} done ${done}/${rows.length} pages ${pages} CPU ${(cpu / 1000).toFixed(1)} s = ${(cpu / pages / 1000).toFixed(3)} s/page ` +
      `[${Object.entries(st).map(([k, ms]) => `${k} ${(ms / pages / 1000).toFixed(3)}`).join(', ')}] start ${(r.startupCpuMs / 1000).toFixed(2)} s | ` +
      `CER micro ${pct(all.micro)}% mean ${pct(all.mean)}% (${all.files} with GT) | ${byType.join(' | ')}`,
  );
  if (perFile) {
    for (const x of rows) {
      const g = gtOf(x.file);
      const s = g !== null ? scoreCer([{ text: x.text ?? '', gt: g }]) : null;
      console.log(
        `  ${x.file.slice(corpus.length + 1).padEnd(48)} ${String(x.pages).padStart(2)}p ${(x.cpuMs / 1000).toFixed(2).padStart(6)} s ` +
          `${Object.entries(x.stages).map(([k, ms]) => `${k}=${ms}`).join(' ')} ${x.error ?? ''} ${s ? `CER ${pct(s.micro)}%` : ''} ${x.notes.join(' ')}`,
      );
    }
  }
}

if (args.includes('--child')) {
  await child(opt('child')!);
} else if (args.includes('--list')) {
  console.log(Object.keys(VARIANTS).join('\n'));
} else {
  const names = (opt('variants') ?? 'base').split(',');
  console.log(`corpus ${corpus}: ${benchInputs(corpus).length} inputs; CER micro/mean per input; s/p = CPU s per page`);
  // Raw results are kept (--saved re-prints them without running anything again).
  const saved = join(tmpdir(), 'quire-levers');
  mkdirSync(saved, { recursive: true });
  for (const n of names) {
    const file = join(saved, `${n}.json`);
    const r = args.includes('--saved') ? (JSON.parse(readFileSync(file, 'utf8')) as Awaited<ReturnType<typeof runChild>>) : await runChild(n);
    writeFileSync(file, JSON.stringify(r));
    summarise(n, r, args.includes('--per-file'));
  }
}
