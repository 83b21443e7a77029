/**
 * The recognition worker of an engine, for whichever languages the current job asks for. One
 * worker at a time (each holds its languages' models, ~100-200 MB): a job in other languages
 * ends it and starts one for those (~0.5-1 s), so a pool serving one language per run pays nothing.
 */
import type { Logger } from '../logger';
import { listInstalledLanguages, missingLanguages } from '../config/languages';
import type { TessWorker, TesseractModule } from './tesseract-worker';
import { startWorker } from './tesseract-worker';
import { OcrError } from './types';

export interface LanguageWorkers {
  /** The worker for `langs` ('deu+eng'), started (and the previous one ended) when needed. */
  get(langs: string): Promise<TessWorker>;
  terminate(): Promise<void>;
}

export function checkInstalled(langs: string, langPath: string): void {
  const installed = listInstalledLanguages(langPath);
  const missing = missingLanguages(langs, installed);
  if (missing.length) {
    throw new OcrError(
      'engine_error',
      `OCR language(s) not installed: ${missing.join(', ')} (installed: ${installed.join(', ') || 'none'} in ${langPath})`,
    );
  }
}

export async function languageWorkers(
  tesseract: TesseractModule,
  o: {
    langs: string;
    langPath: string;
    /** Where a language set's LSTM data is read from (the model choice); default langPath. */
    lstmPath?: (langs: string) => string;
    timeoutMs: number;
    log: Logger;
    params?: Readonly<Record<string, string>>;
    initParams?: Readonly<Record<string, string>>;
  },
): Promise<LanguageWorkers> {
  const start = (langs: string) =>
    startWorker(tesseract, { langs, langPath: o.lstmPath?.(langs) ?? o.langPath, timeoutMs: o.timeoutMs, log: o.log, kind: 'lstm', params: o.params, initParams: o.initParams });
  let current = { langs: o.langs, worker: await start(o.langs) };
  let switching: Promise<TessWorker> | null = null;
  return {
    async get(langs) {
      if (langs === current.langs) return current.worker;
      if (switching) await switching.catch(() => {});
      if (langs === current.langs) return current.worker;
      checkInstalled(langs, o.langPath);
      switching = (async () => {
        await current.worker.terminate();
        const worker = await start(langs);
        current = { langs, worker };
        o.log.debug('languages switched', { langs });
        return worker;
      })();
      try {
        return await switching;
      } finally {
        switching = null;
      }
    },
    async terminate() {
      await current.worker.terminate();
    },
  };
}
