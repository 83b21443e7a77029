/**
 * The optional `languages` argument of addPaths and addWatchedFolder ('deu+eng'): checked against
 * the languages this installation has (shipped and added), refused with the list of them.
 */
import { LanguageChoiceError, parseLanguages } from '../../shared/languages';
import type { InstalledLanguage } from '../../shared/listings';
import { bad, optStr } from './validate';

/** The normalised choice, or undefined when none was given (the ocr_languages setting applies). */
export async function languageChoice(o: Record<string, unknown>, installed: () => Promise<InstalledLanguage[]>): Promise<string | undefined> {
  const spec = optStr(o, 'languages', { max: 400 });
  if (spec === undefined) return undefined;
  try {
    return parseLanguages(spec, (await installed()).map((l) => l.code));
  } catch (err) {
    if (err instanceof LanguageChoiceError) throw bad(err.message);
    throw err;
  }
}
