/**
 * Installed OCR languages: the traineddata files in the tessdata folder (resources/tessdata, or
 * QUIRE_TESSDATA_DIR: Environment.tessdataDir).
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Not a language: the orientation-and-script model used for rotated pages. */
const NOT_LANGUAGES = new Set(['osd']);

/** Language codes with data in `langPath`, sorted (e.g. ['eng', 'fra']). */
export function listInstalledLanguages(langPath: string): string[] {
  if (!existsSync(langPath)) return [];
  const langs = new Set<string>();
  for (const f of readdirSync(langPath)) {
    const m = /^([A-Za-z0-9_]+)\.traineddata(\.gz)?$/.exec(f);
    if (m?.[1] && !NOT_LANGUAGES.has(m[1])) langs.add(m[1]);
  }
  return [...langs].sort();
}

export function hasOsd(langPath: string): boolean {
  return existsSync(join(langPath, 'osd.traineddata.gz')) || existsSync(join(langPath, 'osd.traineddata'));
}

/** Languages in `spec` ('eng+fra') that are not installed; empty when all are. */
export function missingLanguages(spec: string, installed: readonly string[]): string[] {
  const wanted = spec.split('+').map((s) => s.trim());
  return wanted.filter((l) => !l || !installed.includes(l));
}

/**
 * The LSTM models Quire ships for English: `best` is best_int from @tesseract.js-data (copied
 * into resources/tessdata by npm install), `fast` is tessdata_fast 4.1.0 as Debian ships it
 * (resources/tessdata-fast, kept in the repository; see SOURCE.md there). Chosen with the
 * ocr_model setting; measured on the corpus by bench/levers.ts and bench/compare.ts (docs/performance.md).
 */
export type OcrModel = 'best' | 'fast';
export const OCR_MODELS: readonly OcrModel[] = ['best', 'fast'];
export const DEFAULT_OCR_MODEL: OcrModel = 'best';

/**
 * The folder to load the LSTM languages from for `model`: for `fast`, the tessdata-fast folder
 * beside the shipped tessdata folder when it holds every language asked for (it ships English
 * only), else `langPath` itself. Orientation data (osd) always comes from `langPath`.
 */
export function modelLangPath(model: OcrModel, langPath: string, languages: string, fastDir?: string): string {
  if (model !== 'fast') return langPath;
  const fast = fastDir ?? join(dirname(langPath), 'tessdata-fast');
  return missingLanguages(languages, listInstalledLanguages(fast)).length ? langPath : fast;
}
