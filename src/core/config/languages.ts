/**
 * Installed OCR languages: the traineddata files in the tessdata folder (resources/tessdata, or
 * QUIRE_TESSDATA_DIR: Environment.tessdataDir).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

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
