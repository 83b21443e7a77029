/** `--lang deu+eng` of run, ingest and watch add: checked against the languages this installation has. */
import { QuireError } from '../shared/errors';
import { LanguageChoiceError, parseLanguages } from '../shared/languages';
import type { Host } from '../core/host';
import type { CommandContext } from './command';

export const LANG_HELP = "  --lang <codes>      OCR languages for these files, e.g. deu+eng (default: the setting ocr_languages; see quire languages)\n";

/** The normalised choice ('deu+eng'), or undefined without --lang. A bad one is a usage error naming what is available. */
export function langFlag(ctx: CommandContext, host: Host): string | undefined {
  const raw = ctx.flags.lang;
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new QuireError('usage', 'Give --lang once, with codes joined by +, e.g. --lang deu+eng.');
  try {
    return parseLanguages(raw, host.quire.languages().map((l) => l.code));
  } catch (err) {
    if (err instanceof LanguageChoiceError) throw new QuireError('usage', `Invalid --lang "${raw}": ${err.message}`);
    throw err;
  }
}
