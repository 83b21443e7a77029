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
import { hasOsd, modelLangPath } from '../config/languages';
import { isBlankPage } from './blank';
import type { OcrTuning } from './tuning';
import { resolveTuning } from './tuning';
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
  /** Engine levers (bench/levers.ts); unset fields keep DEFAULT_TUNING. */
  tuning?: Partial<OcrTuning>;
}

const nodeRequire = createRequire(import.meta.url);
const TESSERACT_VERSION: string = (nodeRequire('tesseract.js/package.json') as { version: string }).version;
export const ENGINE_NAME = `tesseract.js ${TESSERACT_VERSION}`;

/** CPU milliseconds spent on one page, by stage. */
type PageCost = Partial<Record<'render' | 'blank' | 'deskew' | 'ocr' | 'osd' | 'reread', number>>;

async function timed<T>(cost: PageCost, stage: keyof PageCost, f: () => Promise<T>): Promise<T> {
  const t = process.cpuUsage();
  try {
    return await f();
  } finally {
    const d = process.cpuUsage(t);
    cost[stage] = (cost[stage] ?? 0) + Math.round((d.user + d.system) / 1000);
  }
}


/** The tesseract workers of one engine and the per-page logic (deskew, orientation). */
export async function startTesseract(opts: OcrEngineOptions, deps: TesseractEngineDeps) {
  const log = (deps.logger ?? silentLogger).scope('ocr');
  const tesseract = deps.tesseract ?? ((await import('tesseract.js')) as unknown as { default: TesseractModule }).default;
  checkInstalled(opts.languages, opts.langPath);
  const timeoutMs = deps.initTimeoutMs ?? 60_000;
  const tuning = resolveTuning(deps.tuning);
  // The English model choice (ocr_model): the fast folder serves a language set only when it holds all of it.
  const lstmPath = (langs: string) => modelLangPath(opts.model ?? 'best', opts.langPath, langs, opts.fastLangPath);
  const lstm = await languageWorkers(tesseract, { langs: opts.languages, langPath: opts.langPath, lstmPath, timeoutMs, log, params: tuning.params, initParams: tuning.initParams });
  let osd: Promise<TessWorker> | null = null;
  const getOsd = () => (osd ??= startWorker(tesseract, { langs: 'osd', langPath: opts.langPath, timeoutMs, log, kind: 'osd' }));
  const osdAvailable = hasOsd(opts.langPath);
  const checkBelow = tuning.orientationCheckBelow;

  async function once(page: PageImage, withWords: boolean, langs = opts.languages) {
    const main = await lstm.get(langs);
    const r = withWords ? await main.recognizeWords(page.pgm, page.dpi) : await main.recognize(page.pgm, page.dpi);
    return { text: r.text.replace(/\s+$/u, ''), confidence: r.confidence, words: withWords ? wordsOf(r.blocks) : undefined };
  }

  async function ocrPage(original: PageImage, withWords: boolean, langs: string | undefined, cost: PageCost): Promise<PageOutcome> {
    const { page, angle } = await timed(cost, 'deskew', () => deskewPage(original));
    const turns: Turn[] = angle ? [{ degrees: angle, from: original, to: page }] : [];
    if (angle) log.debug('deskewed', { degrees: angle });
    let best = { ...(await timed(cost, 'ocr', () => once(page, withWords, langs))), turns };
    // A page where tesseract found no words gains nothing from OSD (a drawing, a blank).
    const worded = !tuning.orientationNeedsWords || best.text.trim() !== '';
    if (osdAvailable && best.confidence < checkBelow && worded) {
      const degrees = await timed(cost, 'osd', async () => (await getOsd()).detectRotation(await shrinkForOsd(page)));
      if (degrees) {
        const turned = await rotatePage(page, degrees);
        const again = await timed(cost, 'reread', () => once(turned, withWords, langs));
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
    const cost: PageCost = {};
    const page = await timed(cost, 'render', () => renderPage(src, tuning));
    const blank = tuning.skipBlankPages && (await timed(cost, 'blank', async () => isBlankPage(page)));
    const out = blank ? blankOutcome(page, withWords) : await ocrPage(page, withWords, langs, cost);
    // CPU milliseconds per stage (all threads of this process; stages run one after another).
    log.debug('page', { ...cost, width: page.width, height: page.height, dpi: page.dpi, confidence: out.confidence, blank });
    return out;
  }

  async function close() {
    await lstm.terminate();
    if (osd) await (await osd.catch(() => null))?.terminate();
  }

  return { log, ocrSource, close };
}

/** A page the ink check found blank: no text, no confidence, and (for a searchable PDF) no words on it. */
function blankOutcome(page: PageImage, withWords: boolean): PageOutcome {
  const size = { width: page.width, height: page.height };
  return { text: '', confidence: null, words: withWords ? { ...size, dpi: page.dpi, words: [], turns: [], original: size } : undefined };
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

