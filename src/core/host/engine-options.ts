/** What every worker's engine is started with, from this Quire's settings and folders: one place for the pool, export and watched-folder outputs. */
import type { Quire } from '../app';
import type { Config } from '../config/config';
import type { OcrEngineOptions } from '../ocr/types';

export function engineOptionsOf(quire: Quire, config: Config): OcrEngineOptions {
  return {
    languages: config.ocr_languages,
    langPath: quire.langPath(),
    keepExistingText: config.keep_existing_text,
    model: config.ocr_model === 'fast' ? 'fast' : 'best',
    fastLangPath: quire.environment.tessdataFastDir,
  };
}
