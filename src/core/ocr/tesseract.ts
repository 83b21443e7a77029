/**
 * The tesseract.js engine: one tesseract worker (WASM, LSTM, best_int data) per engine, i.e. per
 * worker process. Never touches the network: language data comes from `langPath` only, with the
 * cache off (tesseract.js otherwise writes eng.traineddata to the cwd and later prefers it).
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import type { OcrResult, PageResult } from '../store/types';
import { readInput } from './fs-errors';
import type { PageImage, PageSource } from './image';
import { imagePages, renderPage, rotatePage } from './image';
import { hasOsd, listInstalledLanguages, missingLanguages } from './languages';
import type { PdfPage } from './pdf';
import { openPdf } from './pdf';
import { sniffFormat } from './sniff';
import type { OcrEngine, OcrEngineFactory, OcrEngineOptions, OcrInput, RecognizeOptions } from './types';
import { OcrError } from './types';
import type { TessWorker, TesseractModule } from './tesseract-worker';
import { startWorker } from './tesseract-worker';

export interface TesseractEngineDeps {
  /** tesseract.js itself; injected so tests can substitute it. */
  tesseract?: TesseractModule;
  logger?: Logger;
  /** createWorker never settles when language data fails to load: give up after this long. */
  initTimeoutMs?: number;
  /** Below this mean confidence a page is checked for 90/180/270-degree rotation (OSD). */
  orientationCheckBelow?: number;
}

const require = createRequire(import.meta.url);
const TESSERACT_VERSION: string = (require('tesseract.js/package.json') as { version: string }).version;
export const ENGINE_NAME = `tesseract.js ${TESSERACT_VERSION}`;

/**
 * Measured on the corpus (bench/ocr.ts): upright pages of real text score 85-96, a 180-degree page
 * ~40, blank pages 0. OSD costs ~0.2-0.5 s per page, so it only runs on doubtful pages.
 */
const DEFAULT_ORIENTATION_CHECK_BELOW = 70;

export function makeTesseractEngineFactory(deps: TesseractEngineDeps = {}): OcrEngineFactory {
  return async (opts: OcrEngineOptions) => {
    const log = (deps.logger ?? silentLogger).scope('ocr');
    const tesseract = deps.tesseract ?? ((await import('tesseract.js')) as unknown as { default: TesseractModule }).default;
    const installed = listInstalledLanguages(opts.langPath);
    const missing = missingLanguages(opts.languages, installed);
    if (missing.length) {
      throw new OcrError(
        'engine_error',
        `OCR language(s) not installed: ${missing.join(', ')} (installed: ${installed.join(', ') || 'none'} in ${opts.langPath})`,
      );
    }
    const timeoutMs = deps.initTimeoutMs ?? 60_000;
    const main = await startWorker(tesseract, { langs: opts.languages, langPath: opts.langPath, timeoutMs, log, kind: 'lstm' });
    let osd: Promise<TessWorker> | null = null;
    const getOsd = () => {
      osd ??= startWorker(tesseract, { langs: 'osd', langPath: opts.langPath, timeoutMs, log, kind: 'osd' });
      return osd;
    };
    const osdAvailable = hasOsd(opts.langPath);
    const checkBelow = deps.orientationCheckBelow ?? DEFAULT_ORIENTATION_CHECK_BELOW;

    async function ocrOnce(page: PageImage): Promise<{ text: string; confidence: number }> {
      const r = await main.recognize(page.pgm, page.dpi);
      return { text: r.text.replace(/\s+$/u, ''), confidence: r.confidence };
    }

    async function ocrPage(page: PageImage): Promise<{ text: string; confidence: number | null }> {
      let best = await ocrOnce(page);
      if (osdAvailable && best.confidence < checkBelow) {
        const degrees = await (await getOsd()).detectRotation(page);
        if (degrees) {
          const again = await ocrOnce(await rotatePage(page, degrees));
          log.debug('orientation corrected', { degrees, before: best.confidence, after: again.confidence });
          if (again.confidence > best.confidence) best = again;
        }
      }
      // A page without words has no meaningful confidence (tesseract says 0).
      return { text: best.text, confidence: best.text.trim() ? best.confidence : null };
    }

    async function pageFromSource(src: PageSource): Promise<{ text: string; confidence: number | null }> {
      if (src.kind === 'native') {
        // A file only tesseract can read (RLE BMP): no rotation check, no pixel limit of ours.
        const r = await main.recognizeBytes(src.bytes);
        const text = r.text.replace(/\s+$/u, '');
        return { text, confidence: text.trim() ? r.confidence : null };
      }
      return ocrPage(await renderPage(src));
    }

    const engine: OcrEngine = {
      name: ENGINE_NAME,
      async recognize(input: OcrInput, ro: RecognizeOptions = {}): Promise<OcrResult> {
        const started = Date.now();
        const bytes = await readInput(input.path);
        const contentHash = createHash('sha256').update(bytes).digest('hex');
        if (bytes.length === 0) throw new OcrError('corrupt_file', 'The file is empty');
        const format = sniffFormat(bytes);
        if (!format) throw new OcrError('unsupported_format', 'Not an image or PDF Quire can read');
        const pages: PageResult[] = [];
        if (format === 'pdf') {
          const doc = await openPdf(bytes, { keepExistingText: opts.keepExistingText, logger: log });
          try {
            for (let n = 1; n <= doc.pageCount; n++) {
              ro.onProgress?.(n, doc.pageCount);
              const p: PdfPage = await doc.page(n);
              if (p.kind === 'text') pages.push({ pageNo: n, text: p.text, confidence: null, source: 'text_layer' });
              else pages.push({ pageNo: n, ...(await pageFromSource(p.source)), source: 'ocr' });
            }
          } finally {
            await doc.close();
          }
        } else {
          const sources = await imagePages(bytes, format);
          for (let i = 0; i < sources.length; i++) {
            ro.onProgress?.(i + 1, sources.length);
            pages.push({ pageNo: i + 1, ...(await pageFromSource(sources[i] as PageSource)), source: 'ocr' });
          }
        }
        const confs = pages.filter((p) => p.source === 'ocr' && p.confidence !== null).map((p) => p.confidence as number);
        return {
          text: pages.map((p) => p.text).join('\f'),
          pages,
          confidence: confs.length ? confs.reduce((a, b) => a + b, 0) / confs.length : null,
          engine: ENGINE_NAME,
          languages: opts.languages,
          processingTimeMs: Date.now() - started,
          contentHash,
        };
      },
      async close() {
        await main.terminate();
        if (osd) await (await osd.catch(() => null))?.terminate();
      },
    };
    return engine;
  };
}

export const createTesseractEngine: OcrEngineFactory = (opts) => makeTesseractEngineFactory()(opts);
