/**
 * One tesseract.js worker, set up once: PSM 3 (automatic layout, the tesseract CLI's default;
 * tesseract.js defaults to 6, measured ~4x worse CER on noisy pages) and a default of 300 dpi for
 * our PGM pages, which carry no resolution. Parameters are set once at start, not per page.
 */
import type { Logger } from '../logger';
import type { PageImage } from './image';
import { OcrError } from './types';

/** The slice of tesseract.js we use (typed here so tests can inject a substitute). */
export interface TesseractModule {
  createWorker(
    langs: string,
    oem: number,
    options: Record<string, unknown>,
    config?: Record<string, string>,
  ): Promise<{
    setParameters(p: Record<string, string>): Promise<unknown>;
    recognize(img: Buffer, opts?: Record<string, unknown>, output?: Record<string, boolean>): Promise<{ data: RecognizeData }>;
    detect(img: Buffer): Promise<{ data: { orientation_degrees: number | null; orientation_confidence: number | null } }>;
    terminate(): Promise<unknown>;
  }>;
  OEM: { LSTM_ONLY: number; TESSERACT_ONLY: number };
}

export interface RecognizeData {
  text: string;
  confidence: number;
  pdf?: number[] | Uint8Array | null;
  blocks?: TessBlock[] | null;
}

interface TessBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
/** tesseract.js's layout tree (output `blocks`), as far as word placement needs it. */
export interface TessBlock {
  paragraphs: { lines: { bbox: TessBox; baseline: TessBox; words: { text: string; confidence: number; bbox: TessBox }[] }[] }[];
}

export interface TessWorker {
  recognize(pgm: Buffer, dpi: number): Promise<RecognizeData>;
  recognizeBytes(bytes: Buffer): Promise<RecognizeData>;
  /** Text plus the layout tree: every word with its box (searchable PDFs, mixed PDF pages). */
  recognizeWords(pgm: Buffer, dpi: number): Promise<RecognizeData>;
  /** A searchable one-page PDF (page image + invisible text). */
  recognizePdf(pgm: Buffer, dpi: number, title: string): Promise<{ data: RecognizeData; pdf: Buffer }>;
  /** Degrees to rotate the page clockwise so it reads upright, or 0. (osd workers only) */
  detectRotation(page: PageImage): Promise<number>;
  terminate(): Promise<void>;
}

/** OSD below this confidence is noise (blank or non-text pages score ~0-1, real rotations 5-35). */
const MIN_OSD_CONFIDENCE = 2;

export async function startWorker(
  tess: TesseractModule,
  o: { langs: string; langPath: string; timeoutMs: number; log: Logger; kind: 'lstm' | 'osd'; params?: Readonly<Record<string, string>>;
    /** Parameters tesseract reads only at initialisation (e.g. which dictionaries to load). */
    initParams?: Readonly<Record<string, string>>;
  },
): Promise<TessWorker> {
  const started = Date.now();
  const options: Record<string, unknown> = {
    langPath: o.langPath,
    cacheMethod: 'none',
    gzip: true,
    // Without errorHandler a failed job throws from a message handler: an uncaught exception that
    // kills the process. The rejection still reaches the caller of recognize().
    errorHandler: (e: unknown) => o.log.debug('tesseract job failed', { error: String(e) }),
    logger: () => {},
  };
  // detect() needs the legacy engine and the legacy osd model.
  if (o.kind === 'osd') Object.assign(options, { legacyCore: true, legacyLang: true });
  const oem = o.kind === 'osd' ? tess.OEM.TESSERACT_ONLY : tess.OEM.LSTM_ONLY;
  const pending =
    o.initParams && Object.keys(o.initParams).length ? tess.createWorker(o.langs, oem, options, { ...o.initParams }) : tess.createWorker(o.langs, oem, options);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new OcrError('engine_error', `tesseract did not start within ${o.timeoutMs} ms (language data ${o.langs} in ${o.langPath})`)),
      o.timeoutMs,
    );
  });
  let w: Awaited<typeof pending>;
  try {
    w = await Promise.race([pending, timeout]);
  } catch (err) {
    // If it settles later, do not leave a worker thread behind.
    pending.then((late) => late.terminate()).catch(() => {});
    if (err instanceof OcrError) throw err;
    throw new OcrError('engine_error', `tesseract failed to start: ${String(err)}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
  // debug_file: tesseract's own warnings ("Invalid resolution", "Too few characters") go to a
  // file inside the WASM file system instead of the worker process's stdout.
  await w.setParameters(
    o.kind === 'lstm'
      ? { tessedit_pageseg_mode: '3', user_defined_dpi: '300', debug_file: '/dev/null', ...o.params }
      : { debug_file: '/dev/null' },
  );
  o.log.debug('tesseract worker ready', { kind: o.kind, langs: o.langs, ms: Date.now() - started });

  const engineError = (err: unknown) =>
    err instanceof OcrError ? err : new OcrError('engine_error', `tesseract: ${String(err)}`, { cause: err });
  // Only pages whose resolution differs from the default pay for a per-call parameter.
  const dpiOpts = (dpi: number) => (dpi === 300 ? {} : { user_defined_dpi: String(Math.round(dpi)) });

  return {
    async recognize(pgm, dpi) {
      try {
        return (await w.recognize(pgm, dpiOpts(dpi), { text: true })).data;
      } catch (err) {
        throw engineError(err);
      }
    },
    async recognizeWords(pgm, dpi) {
      try {
        return (await w.recognize(pgm, dpiOpts(dpi), { text: true, blocks: true })).data;
      } catch (err) {
        throw engineError(err);
      }
    },
    async recognizeBytes(bytes) {
      try {
        return (await w.recognize(bytes, {}, { text: true })).data;
      } catch (err) {
        // tesseract (Leptonica) could not read what we could not read either.
        throw new OcrError('corrupt_file', `Image could not be decoded: ${String(err)}`, { cause: err });
      }
    },
    async recognizePdf(pgm, dpi, title) {
      try {
        const { data } = await w.recognize(pgm, { ...dpiOpts(dpi), pdfTitle: title }, { text: true, pdf: true });
        if (!data.pdf) throw new Error('no PDF output');
        return { data, pdf: Buffer.from(data.pdf as Uint8Array) };
      } catch (err) {
        throw engineError(err);
      }
    },
    async detectRotation(page) {
      try {
        const { data } = await w.detect(page.pgm);
        const deg = data.orientation_degrees ?? 0;
        if (!deg || (data.orientation_confidence ?? 0) < MIN_OSD_CONFIDENCE) return 0;
        return deg;
      } catch {
        return 0; // no text found for OSD: leave the page as it is
      }
    },
    async terminate() {
      await w.terminate().catch(() => {});
    },
  };
}
