/**
 * The tesseract.js engine: one tesseract worker (WASM, LSTM, best_int data) per engine, i.e. per
 * worker process, plus an orientation (OSD) worker started on the first doubtful page. Never
 * touches the network: language data comes from `langPath` only, with the cache off (tesseract.js
 * otherwise writes eng.traineddata to the cwd and later prefers it).
 */
import { createRequire } from 'node:module';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import type { OcrResult, PageResult } from '../../shared/results';
import type { PageImage, PageSource } from './image';
import { renderPage, rotatePage, shrinkForOsd } from './image';
import { hasOsd } from '../config/languages';
import { deskewPage } from './deskew';
import { ocrTiles } from './tiles';
import { ocrRegions } from './pdf-mixed';
import type { PageOutcome, Turn } from './words';
import { wordsOf } from './words';
import { forEachPage } from './pages';
import type { TessWorker, TesseractModule } from './tesseract-worker';
import { startWorker } from './tesseract-worker';
import { checkInstalled, languageWorkers } from './tesseract-langs';
import type { OcrEngine, OcrEngineFactory, OcrEngineOptions, OcrInput, RecognizeOptions } from './types';
import { OcrError } from './types';

export interface TesseractEngineDeps {
  /** tesseract.js itself; injected so tests can substitute it. */
  tesseract?: TesseractModule;
  logger?: Logger;
  /** createWorker never settles when language data fails to load: give up after this long. */
  initTimeoutMs?: number;
  /** Below this mean confidence a page is checked for 90/180/270-degree rotation (OSD). */
  orientationCheckBelow?: number;
}

const nodeRequire = createRequire(import.meta.url);
const TESSERACT_VERSION: string = (nodeRequire('tesseract.js/package.json') as { version: string }).version;
export const ENGINE_NAME = `tesseract.js ${TESSERACT_VERSION}`;

/**
 * Measured on the corpus (bench/ocr.ts): upright pages of real text score 85-96, a 180-degree page
 * ~40, blank pages 0. OSD costs ~0.2-0.5 s per page, so it only runs on doubtful pages.
 */
const DEFAULT_ORIENTATION_CHECK_BELOW = 70;


/** The tesseract workers of one engine and the per-page logic (deskew, orientation). */
export async function startTesseract(opts: OcrEngineOptions, deps: TesseractEngineDeps) {
  const log = (deps.logger ?? silentLogger).scope('ocr');
  const tesseract = deps.tesseract ?? ((await import('tesseract.js')) as unknown as { default: TesseractModule }).default;
  checkInstalled(opts.languages, opts.langPath);
  const timeoutMs = deps.initTimeoutMs ?? 60_000;
  const lstm = await languageWorkers(tesseract, { langs: opts.languages, langPath: opts.langPath, timeoutMs, log });
  let osd: Promise<TessWorker> | null = null;
  const getOsd = () => (osd ??= startWorker(tesseract, { langs: 'osd', langPath: opts.langPath, timeoutMs, log, kind: 'osd' }));
  const osdAvailable = hasOsd(opts.langPath);
  const checkBelow = deps.orientationCheckBelow ?? DEFAULT_ORIENTATION_CHECK_BELOW;

  async function once(page: PageImage, withWords: boolean, langs = opts.languages) {
    const main = await lstm.get(langs);
    const r = withWords ? await main.recognizeWords(page.pgm, page.dpi) : await main.recognize(page.pgm, page.dpi);
    return { text: r.text.replace(/\s+$/u, ''), confidence: r.confidence, words: withWords ? wordsOf(r.blocks) : undefined };
  }

  async function ocrPage(original: PageImage, withWords = false, langs?: string): Promise<PageOutcome> {
    const { page, angle } = await deskewPage(original);
    const turns: Turn[] = angle ? [{ degrees: angle, from: original, to: page }] : [];
    if (angle) log.debug('deskewed', { degrees: angle });
    let best = { ...(await once(page, withWords, langs)), turns };
    if (osdAvailable && best.confidence < checkBelow) {
      const degrees = await (await getOsd()).detectRotation(await shrinkForOsd(page));
      if (degrees) {
        const turned = await rotatePage(page, degrees);
        const again = await once(turned, withWords, langs);
        log.debug('orientation checked', { degrees, before: best.confidence, after: again.confidence });
        if (again.confidence > best.confidence) best = { ...again, turns: [...turns, { degrees, from: page, to: turned }] };
      }
    }
    const last = best.turns[best.turns.length - 1]?.to ?? original;
    const words = best.words && {
      width: last.width,
      height: last.height,
      dpi: original.dpi,
      words: best.words,
      turns: best.turns.map((t) => ({ degrees: t.degrees, from: { width: t.from.width, height: t.from.height }, to: { width: t.to.width, height: t.to.height } })),
      original: { width: original.width, height: original.height },
    };
    // A page without words has no meaningful confidence (tesseract says 0).
    return { text: best.text, confidence: best.text.trim() ? best.confidence : null, words };
  }

  async function ocrSource(src: PageSource, withWords = false, langs?: string): Promise<PageOutcome> {
    if (src.kind === 'native') {
      if (withWords) throw new OcrError('unsupported_format', 'This image type cannot be exported as a searchable PDF');
      // A file only tesseract can read (RLE BMP): no rotation check, no pixel limit of ours.
      const r = await (await lstm.get(langs ?? opts.languages)).recognizeBytes(src.bytes);
      const text = r.text.replace(/\s+$/u, '');
      return { text, confidence: text.trim() ? r.confidence : null };
    }
    return ocrPage(await renderPage(src), withWords, langs);
  }

  async function close() {
    await lstm.terminate();
    if (osd) await (await osd.catch(() => null))?.terminate();
  }

  return { log, ocrSource, close };
}

export function makeTesseractEngineFactory(deps: TesseractEngineDeps = {}): OcrEngineFactory {
  return async (opts: OcrEngineOptions) => {
    const t = await startTesseract(opts, deps);
    const engine: OcrEngine = {
      name: ENGINE_NAME,
      async recognize(input: OcrInput, ro: RecognizeOptions = {}): Promise<OcrResult> {
        const started = Date.now();
        // A job's own languages (a watched folder's, a run's --lang), checked before any decoding.
        if (input.languages) checkInstalled(input.languages, opts.langPath);
        const pages: PageResult[] = [];
        try {
          await forEachPage(input.bytes, { keepExistingText: opts.keepExistingText, logger: t.log }, async (page, n, count) => {
            ro.onProgress?.(n, count);
            const langs = input.languages ?? opts.languages;
            if (page.kind === 'text') {
              // A mixed page: the text layer, then what its scanned images say that the layer does not.
              const extra = page.mixed ? (await ocrRegions(page.mixed.regions, (src, w) => t.ocrSource(src, w, langs), page.mixed.size)).text : '';
              pages.push({ pageNo: n, text: extra ? `${page.text}\n${extra}` : page.text, confidence: null, source: 'text_layer' });
            } else {
              const r = page.kind === 'tiles' ? await ocrTiles(page.tiled, (src) => t.ocrSource(src, false, langs)) : await t.ocrSource(page.source, false, langs);
              pages.push({ pageNo: n, text: r.text, confidence: r.confidence, source: 'ocr' });
            }
          });
        } catch (err) {
          // Whatever escapes the decoders unclassified still leaves with a kind.
          if (err instanceof OcrError) throw err;
          throw new OcrError('engine_error', `OCR failed on page ${pages.length + 1}: ${(err as Error).message ?? String(err)}`, { cause: err });
        }
        const confs = pages.filter((p) => p.source === 'ocr' && p.confidence !== null).map((p) => p.confidence as number);
        return {
          text: pages.map((p) => p.text).join('\f'),
          pages,
          confidence: confs.length ? confs.reduce((a, b) => a + b, 0) / confs.length : null,
          engine: ENGINE_NAME,
          languages: input.languages ?? opts.languages,
          processingTimeMs: Date.now() - started,
          // The worker hashed the bytes it handed over and records that hash.
          contentHash: null,
        };
      },
      close: t.close,
    };
    return engine;
  };
}

export const createTesseractEngine: OcrEngineFactory = (opts) => makeTesseractEngineFactory()(opts);

