/**
 * The scripted OCR engine for scheduling tests (pool, CLI): the one test engine. It runs in a
 * forked worker through test/support/test-worker.ts (engine name 'scripted'), or in memory
 * through test/support/memory-spawner.ts. It is never part of the built app.
 *
 * A file's own text scripts what happens. One directive per line:
 *   pages N            report N pages (default 1)
 *   delay MS           wait MS per page (default 0)
 *   text WORDS...      the text of every page (default "fake text of <name> page <n>")
 *   hang [K]           never finish (on the first K attempts only, when K is given)
 *   spin [K]           ignore SIGTERM and loop on the CPU without end, like a native decoder stuck
 *                      in a tight loop: only SIGKILL ends it (first K attempts)
 *   crash [K]          kill this worker process abruptly, like a native crash (first K attempts)
 *   grow [K]           allocate memory without bound (16 MB every 20 ms, touched so it is resident)
 *   bomb [K]           allocate memory without bound in synchronous code that never yields (an
 *                      inflate bomb in a decoder): only the worker's watchdog thread can stop it
 *                      and never finish (first K attempts), like a leaking decoder
 *   fail KIND [K]      fail with that error kind (first K attempts)
 * The result records the languages the job asked for (OcrInput.languages), else the engine's.
 * Attempts are counted in a side file "<path>.attempts", so "crash 1" crashes once and then
 * succeeds. Anything else (a real image) reads as one page of default text. What a process does
 * (crash, ignore SIGTERM, spin, grow) comes through ProcessHooks: real in a forked worker, acted
 * out on a stand-in process in memory.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { OcrEngine, OcrEngineFactory } from '../../src/core/ocr/types';
import { OcrError } from '../../src/core/ocr/types';
import { isErrorKind } from '../../src/shared/errors';
import type { PageResult } from '../../src/shared/results';

interface Script {
  pages: number;
  delayMs: number;
  text: string | null;
  hang: number | null; // null: never; Infinity: always; K: first K attempts
  spin: number | null;
  crash: number | null;
  grow: number | null;
  bomb: number | null;
  fail: { kind: string; times: number } | null;
}

function times(arg: string | undefined): number {
  return arg === undefined ? Infinity : Number(arg);
}

export function parseScript(content: string): Script {
  const s: Script = { pages: 1, delayMs: 0, text: null, hang: null, spin: null, crash: null, grow: null, bomb: null, fail: null };
  for (const raw of content.split('\n')) {
    const [word, ...rest] = raw.trim().split(/\s+/);
    if (word === 'pages') s.pages = Math.max(1, Number(rest[0]) || 1);
    else if (word === 'delay') s.delayMs = Number(rest[0]) || 0;
    else if (word === 'text') s.text = rest.join(' ');
    else if (word === 'hang') s.hang = times(rest[0]);
    else if (word === 'spin') s.spin = times(rest[0]);
    else if (word === 'crash') s.crash = times(rest[0]);
    else if (word === 'grow') s.grow = times(rest[0]);
    else if (word === 'bomb') s.bomb = times(rest[0]);
    else if (word === 'fail' && rest[0]) s.fail = { kind: rest[0], times: times(rest[1]) };
  }
  return s;
}

async function nextAttempt(path: string): Promise<number> {
  // A hidden file beside the script: ingest ignores it, so a second run of the same folder does
  // not list it among the files Quire does not read.
  const file = join(dirname(path), `.${basename(path)}.attempts`);
  const n = Number(await readFile(file, 'utf8').catch(() => '0')) + 1;
  await writeFile(file, String(n));
  return n;
}

export interface ProcessHooks {
  /** End the process abruptly, like a native crash. */
  crash(): void;
  /** Ignore SIGTERM and never yield: only SIGKILL ends it. */
  spin(): Promise<never>;
  /** Allocate memory without bound and never finish, like a leaking decoder. */
  grow(): Promise<never>;
  /** Allocate without bound and without ever yielding. */
  bomb(): Promise<never>;
}

/** Hooks on this very process (a forked test worker). */
export const realProcessHooks: ProcessHooks = {
  crash: () => process.kill(process.pid, 'SIGKILL'),
  spin: async () => {
    process.on('SIGTERM', () => {});
    for (;;) {
      // burn, like a native decoder stuck in a tight loop
    }
  },
  bomb: async () => {
    const hoard: Buffer[] = [];
    for (;;) hoard.push(Buffer.alloc(16 * 1024 * 1024, 1));
  },
  // Keeps the event loop free (as tesseract.js's worker thread does), so the leak is observable.
  grow: async () => {
    const hoard: Buffer[] = [];
    for (;;) {
      hoard.push(Buffer.alloc(16 * 1024 * 1024, 1));
      await sleep(20);
    }
  },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const createScriptedEngine = (hooks: ProcessHooks): OcrEngineFactory => async (opts) => {
  const engine: OcrEngine = {
    name: 'scripted',
    async recognize(input, ropts = {}) {
      const started = Date.now();
      const bytes = input.bytes;
      // Binary files (real images) are not scripts.
      const script = bytes.includes(0) ? parseScript('') : parseScript(bytes.toString('utf8'));
      const scripted = script.hang !== null || script.spin !== null || script.crash !== null || script.grow !== null || script.bomb !== null || script.fail !== null;
      const attempt = scripted ? await nextAttempt(input.path) : 1;
      if (script.crash !== null && attempt <= script.crash) {
        hooks.crash();
        await new Promise(() => {});
      }
      if (script.hang !== null && attempt <= script.hang) await new Promise(() => {});
      if (script.spin !== null && attempt <= script.spin) await hooks.spin();
      if (script.grow !== null && attempt <= script.grow) await hooks.grow();
      if (script.bomb !== null && attempt <= script.bomb) await hooks.bomb();
      if (script.fail && attempt <= script.fail.times) {
        const kind = isErrorKind(script.fail.kind) ? script.fail.kind : 'engine_error';
        throw new OcrError(kind, `scripted failure (${kind})`);
      }
      const pages: PageResult[] = [];
      for (let p = 1; p <= script.pages; p++) {
        ropts.onProgress?.(p, script.pages);
        if (script.delayMs) await sleep(script.delayMs);
        pages.push({
          pageNo: p,
          text: script.text ?? `fake text of ${basename(input.path)} page ${p}`,
          confidence: 90,
          source: 'ocr',
        });
      }
      return {
        text: pages.map((p) => p.text).join('\f'),
        pages,
        confidence: 90,
        engine: 'scripted',
        // A job's own languages (a run's --lang, a watched folder's) as tesseract.ts records them.
        languages: input.languages ?? opts.languages,
        processingTimeMs: Date.now() - started,
        contentHash: null,
      };
    },
    async close() {},
  };
  return engine;
};
