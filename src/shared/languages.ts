/**
 * Language codes as people choose them ('deu+eng'): their English names and the check of a choice
 * against what is installed. Pure, so the renderer, the API handlers and the CLI share one wording.
 */

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

const CODE = /^[A-Za-z0-9_]+$/;

export function languageName(code: string): string {
  return NAMES[code] ?? code;
}

/**
 * A language choice ('deu+eng', ' deu + eng ') checked against what is available: trimmed, no
 * duplicates, order kept (tesseract tries the first language first). Throws a LanguageChoiceError
 * naming what is available (a bad choice is the caller's to fix, never an engine error).
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

