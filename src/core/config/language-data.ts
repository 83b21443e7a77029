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

/** English names of tesseract's language codes (those on @tesseract.js-data and a few more). */
const NAMES: Readonly<Record<string, string>> = {
  afr: 'Afrikaans', ara: 'Arabic', aze: 'Azerbaijani', bel: 'Belarusian', ben: 'Bengali', bul: 'Bulgarian',
  cat: 'Catalan', ces: 'Czech', chi_sim: 'Chinese (simplified)', chi_tra: 'Chinese (traditional)', dan: 'Danish',
  deu: 'German', ell: 'Greek', eng: 'English', est: 'Estonian', eus: 'Basque', fas: 'Persian', fin: 'Finnish',
  fra: 'French', frk: 'German (Fraktur)', gle: 'Irish', glg: 'Galician', heb: 'Hebrew', hin: 'Hindi', hrv: 'Croatian',
  hun: 'Hungarian', ind: 'Indonesian', isl: 'Icelandic', ita: 'Italian', jpn: 'Japanese', kor: 'Korean', lat: 'Latin',
  lav: 'Latvian', lit: 'Lithuanian', mal: 'Malayalam', msa: 'Malay', mlt: 'Maltese', nld: 'Dutch', nor: 'Norwegian',
  pol: 'Polish', por: 'Portuguese', ron: 'Romanian', rus: 'Russian', slk: 'Slovak', slv: 'Slovenian', spa: 'Spanish',
  sqi: 'Albanian', srp: 'Serbian', swa: 'Swahili', swe: 'Swedish', tam: 'Tamil', tha: 'Thai', tur: 'Turkish',
  ukr: 'Ukrainian', urd: 'Urdu', vie: 'Vietnamese', cym: 'Welsh',
};

/** Not a language: the orientation-and-script model used for rotated pages. */
const NOT_LANGUAGES = new Set(['osd']);
const FILE = /^([A-Za-z0-9_]+)\.traineddata(\.gz)?$/;
const CODE = /^[A-Za-z0-9_]+$/;

export function languageName(code: string): string {
  return NAMES[code] ?? code;
}

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
 * A language choice ('deu+eng', ' deu + eng ') checked against what is available: trimmed, no
 * duplicates, order kept (tesseract tries the first language first). Throws a QuireError-shaped
 * OcrError (engine_error is never used here: a bad choice is the caller's to fix) with the list.
 */
export function parseLanguages(spec: string, available: readonly string[]): string {
  const codes = spec
    .split('+')
    .map((s) => s.trim())
    .filter(Boolean);
  const list = available.join(', ') || 'none';
  if (!codes.length) throw new LanguageChoiceError(`No OCR language given (available: ${list})`);
  const bad = codes.filter((c) => !CODE.test(c));
  if (bad.length) throw new LanguageChoiceError(`Not a language code: ${bad.join(', ')} (codes look like eng, deu, chi_sim; available: ${list})`);
  const missing = codes.filter((c) => !available.includes(c));
  if (missing.length) {
    throw new LanguageChoiceError(
      `OCR language${missing.length > 1 ? 's' : ''} not installed: ${missing.join(', ')} (available: ${list}). ` +
        'Add one with quire languages --add <file>, or by putting its <code>.traineddata.gz (from the @tesseract.js-data/<code> npm package) into the languages folder of the data folder.',
    );
  }
  return [...new Set(codes)].join('+');
}

export class LanguageChoiceError extends Error {
  readonly code = 'bad_languages';
  constructor(message: string) {
    super(message);
    this.name = 'LanguageChoiceError';
  }
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
