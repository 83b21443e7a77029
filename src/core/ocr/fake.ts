/**
 * A fake OCR engine for scheduling tests (queue, pool, CLI) that are not about OCR: instant or
 * slow on demand, deterministic, and able to fail in every way a real engine can.
 *
 * Text: if the file is valid UTF-8 text, its pages are the parts between form feeds (\f), with
 * the FAKE: switches removed; otherwise one page reading `fake <first 16 hex of sha256>`.
 *
 * Test-only switches, read from the file NAME or CONTENT (first match wins, name first):
 *   FAKE:crash          the process kills itself with SIGKILL at the start of the first page
 *                       (a hard crash: no exception, no exit handler, no core file)
 *   FAKE:abort          process.abort() (SIGABRT, like a native assertion in the engine)
 *   FAKE:hang           recognize() never settles (the pool's timeout must kill the process)
 *   FAKE:fail:<kind>    recognize() rejects with OcrError(<kind>), kind from ERROR_KINDS
 *   FAKE:throw          recognize() rejects with a plain Error (not an OcrError)
 *   FAKE:pages:<n>      the document has n pages (default: number of \f-separated parts, or 1)
 *   FAKE:delay:<ms>     wait ms per page (overrides the engine's delayPerPageMs)
 *   FAKE:alloc:<MB>     allocate and keep MB of memory for the life of the process
 *                       (to test recycling a worker at an RSS limit)
 * Missing and unreadable files fail with file_missing / permission_denied like the real engine.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { isErrorKind } from '../../shared/errors';
import type { OcrResult, PageResult } from '../../shared/results';
import { readInput } from './fs-errors';
import type { OcrEngine, OcrEngineOptions, OcrInput, RecognizeOptions } from './types';
import { OcrError } from './types';

export interface FakeEngineOptions extends Partial<OcrEngineOptions> {
  /** Wait this long per page (default 0). */
  delayPerPageMs?: number;
}

const SWITCH = /FAKE:(crash|abort|hang|throw|fail:([a-z_]+)|pages:(\d+)|delay:(\d+)|alloc:(\d+))/g;

// Memory held by FAKE:alloc, kept reachable on purpose.
const retained: Buffer[] = [];

interface Switches {
  crash: boolean;
  abort: boolean;
  hang: boolean;
  throw: boolean;
  fail?: string;
  pages?: number;
  delay?: number;
  alloc?: number;
}

export function parseFakeSwitches(...sources: string[]): Switches {
  const s: Switches = { crash: false, abort: false, hang: false, throw: false };
  for (const src of sources) {
    for (const m of src.matchAll(SWITCH)) {
      const word = m[1] ?? '';
      if (word === 'crash') s.crash = true;
      else if (word === 'abort') s.abort = true;
      else if (word === 'hang') s.hang = true;
      else if (word === 'throw') s.throw = true;
      else if (m[2] !== undefined) s.fail ??= m[2];
      else if (m[3] !== undefined) s.pages ??= Number(m[3]);
      else if (m[4] !== undefined) s.delay ??= Number(m[4]);
      else if (m[5] !== undefined) s.alloc ??= Number(m[5]);
    }
  }
  return s;
}

function pageTexts(bytes: Buffer, hash: string): string[] {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const isText = bytes.length > 0 && !text.includes('\uFFFD') && !text.includes('\u0000');
  if (!isText) return [`fake ${hash.slice(0, 16)}`];
  return text.split('\f').map((p) => p.replace(SWITCH, '').replace(/[ \t]+\n/g, '\n').trim());
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function createFakeEngine(opts: FakeEngineOptions = {}): Promise<OcrEngine> {
  const languages = opts.languages ?? 'eng';
  return {
    name: 'fake',
    async recognize(input: OcrInput, ro: RecognizeOptions = {}): Promise<OcrResult> {
      const started = Date.now();
      const bytes = await readInput(input.path);
      const hash = createHash('sha256').update(bytes).digest('hex');
      // Only the first 64 KiB of content is searched for switches: enough for test files.
      const sw = parseFakeSwitches(basename(input.path), bytes.subarray(0, 65536).toString('latin1'));
      if (sw.alloc) {
        const b = Buffer.alloc(sw.alloc * 1024 * 1024, 1); // filled, so the pages are really resident
        retained.push(b);
      }
      if (sw.fail !== undefined) {
        const kind = isErrorKind(sw.fail) ? sw.fail : 'engine_error';
        throw new OcrError(kind, `fake failure: ${sw.fail}`);
      }
      if (sw.throw) throw new Error('fake engine threw a plain Error');
      let texts = pageTexts(bytes, hash);
      if (sw.pages !== undefined) {
        texts = Array.from({ length: sw.pages }, (_, i) => texts[i] ?? `fake page ${i + 1} ${hash.slice(0, 16)}`);
      }
      const delay = sw.delay ?? opts.delayPerPageMs ?? 0;
      const pages: PageResult[] = [];
      for (let i = 0; i < texts.length; i++) {
        ro.onProgress?.(i + 1, texts.length);
        if (sw.crash) process.kill(process.pid, 'SIGKILL');
        if (sw.abort) process.abort();
        if (sw.hang) await new Promise<never>(() => {});
        if (delay > 0) await sleep(delay);
        pages.push({ pageNo: i + 1, text: texts[i] ?? '', confidence: 95, source: 'ocr' });
      }
      return {
        text: pages.map((p) => p.text).join('\f'),
        pages,
        confidence: pages.length ? 95 : null,
        engine: 'fake 1',
        languages,
        processingTimeMs: Date.now() - started,
        contentHash: hash,
      };
    },
    async close() {},
  };
}
