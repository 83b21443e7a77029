/**
 * OCR languages from two folders: the ones shipped with Quire (resources/tessdata, filled from the
 * @tesseract.js-data packages by scripts/postinstall.mjs) and the ones a person added to the data
 * folder (`<data dir>/languages`, any <code>.traineddata or .traineddata.gz, e.g. from another
 * @tesseract.js-data package), without touching the installation. tesseract.js loads every language
 * of a worker from ONE folder (langPath), so when added languages exist the engine is given a
 * merged folder (`<data dir>/languages/.merged`) of hard links (copies where links cannot be made)
 * to both; an added file with the same code as a shipped one wins.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { QuireError } from '../../shared/errors';
import { LanguageChoiceError, languageName } from '../../shared/languages';

export interface LanguageFolders {
  /** Shipped with the app (read-only in a packaged app). */
  shipped: string;
  /** Added by the person, in the data folder; may not exist. */
  added?: string;
}

export interface LanguageInfo {
  code: string;
  name: string;
  source: 'shipped' | 'added';
  file: string;
}

/** Not a language: the orientation-and-script model used for rotated pages. */
const NOT_LANGUAGES = new Set(['osd']);
const FILE = /^([A-Za-z0-9_]+)\.traineddata(\.gz)?$/;

/** <code> -> file name of its data in `dir` (.gz preferred when both exist). */
function dataFiles(dir: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!dir || !existsSync(dir)) return out;
  for (const f of readdirSync(dir).sort()) {
    const m = FILE.exec(f);
    if (!m?.[1]) continue;
    if (!out.has(m[1]) || f.endsWith('.gz')) out.set(m[1], f);
  }
  return out;
}

/** Every language either folder offers, sorted by code; osd is left out (not a language). */
export function listLanguages(folders: LanguageFolders): LanguageInfo[] {
  const all = new Map<string, LanguageInfo>();
  for (const [code, file] of dataFiles(folders.shipped)) all.set(code, { code, name: languageName(code), source: 'shipped', file: join(folders.shipped, file) });
  for (const [code, file] of dataFiles(folders.added)) all.set(code, { code, name: languageName(code), source: 'added', file: join(folders.added as string, file) });
  return [...all.values()].filter((l) => !NOT_LANGUAGES.has(l.code)).sort((a, b) => a.code.localeCompare(b.code));
}

/**
 * The one folder to give tesseract.js as langPath for these folders: the shipped folder itself when
 * nothing was added; otherwise `<added>/.merged`, brought up to date with links to every shipped and
 * added file (osd included, the orientation worker reads it from the same langPath).
 */
export function languagePath(folders: LanguageFolders): string {
  const added = dataFiles(folders.added);
  if (!added.size || !folders.added) return folders.shipped;
  const merged = join(folders.added, '.merged');
  try {
    mkdirSync(merged, { recursive: true });
    const want = new Map<string, string>();
    for (const [code, f] of dataFiles(folders.shipped)) if (!added.has(code)) want.set(f, join(folders.shipped, f));
    for (const [, f] of added) want.set(f, join(folders.added, f));
    for (const f of readdirSync(merged)) if (!want.has(f)) rmSync(join(merged, f), { force: true });
    for (const [f, from] of want) {
      const to = join(merged, f);
      const a = statSync(from);
      const b = statSync(to, { throwIfNoEntry: false });
      if (b && b.size === a.size && b.mtimeMs >= a.mtimeMs) continue;
      // Into place by rename: a worker starting meanwhile sees the old file or the new, never half.
      const tmp = `${to}.${process.pid}.tmp`;
      rmSync(tmp, { force: true });
      try {
        linkSync(from, tmp);
      } catch {
        copyFileSync(from, tmp);
      }
      renameSync(tmp, to);
    }
  } catch (err) {
    throw new QuireError('language_folder', `Could not prepare the OCR language folder ${merged}: ${(err as Error).message}`, { cause: err });
  }
  return merged;
}

/** The languages folder inside a data folder. */
export function addedLanguagesDir(dataDir: string): string {
  return join(dataDir, 'languages');
}

/** The folders for a data folder: shipped (QUIRE_TESSDATA_DIR or resources/tessdata) and added. */
export function languageFoldersFor(dataDir: string, shipped: string): LanguageFolders {
  return { shipped, added: addedLanguagesDir(dataDir) };
}

/**
 * Adds a language to `<data dir>/languages` from a <code>.traineddata(.gz) file, or from an
 * @tesseract.js-data/<code> package folder (as `npm pack` + tar, or any node_modules holds it),
 * where the integer LSTM model (4.0.0_best_int) is preferred, as for the shipped languages.
 * Copies, never parses (tesseract reads the file in a worker); returns the language code.
 */
export function addLanguage(from: string, dataDir: string): string {
  let file = from;
  const st = statSync(from, { throwIfNoEntry: false });
  if (!st) throw new LanguageChoiceError(`${from} does not exist`);
  if (st.isDirectory()) {
    const found = ['4.0.0_best_int', '4.0.0_best', '4.0.0', '.']
      .map((v) => join(from, v))
      .filter((d) => existsSync(d) && statSync(d).isDirectory())
      .flatMap((d) => readdirSync(d).filter((f) => FILE.test(f)).map((f) => join(d, f)));
    if (!found[0]) throw new LanguageChoiceError(`No <code>.traineddata(.gz) in ${from} (an @tesseract.js-data package has one in 4.0.0_best_int/)`);
    file = found[0];
  }
  const name = file.split(/[\\/]/).pop() as string;
  const m = FILE.exec(name);
  if (!m?.[1] || NOT_LANGUAGES.has(m[1])) throw new LanguageChoiceError(`${name} is not named <code>.traineddata or <code>.traineddata.gz`);
  const dir = addedLanguagesDir(dataDir);
  mkdirSync(dir, { recursive: true });
  // One file per code: a .gz and a plain file for the same code would be ambiguous.
  for (const other of [`${m[1]}.traineddata`, `${m[1]}.traineddata.gz`]) if (other !== name) rmSync(join(dir, other), { force: true });
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  copyFileSync(file, tmp);
  renameSync(tmp, join(dir, name));
  return m[1];
}
