/** `quire skipped`: the files under added paths and watched folders that Quire does not read, with why. */
import { QuireError } from '../shared/errors';
import { csvLine } from '../shared/csv';
import { SKIP_REASON_TEXT } from '../shared/skipped';
import type { Command } from './command';

export const skippedCommand: Command = {
  name: 'skipped',
  usage: 'quire skipped [--json | --csv]',
  summary: 'List the files Quire found but does not read (unsupported, no permission, ...), with why.',
  help:
    '  --json  as JSON: {total, byReason, files: [{path, reason, message, seenAt}]}\n' +
    '  --csv   as CSV (path, reason, meaning, message, seen_at)\n' +
    'Each walk of a path (quire run, quire ingest, Add files, a watched folder\'s rescan) replaces its entries:\n' +
    'fix or convert a file, then add it again, and it leaves the list.',
  options: { json: { type: 'boolean' }, csv: { type: 'boolean' } },
  async run(ctx) {
    if (ctx.flags.json && ctx.flags.csv) throw new QuireError('usage', 'Choose one of --json and --csv.');
    if (ctx.args.length) throw new QuireError('usage', `Unexpected argument "${ctx.args[0]}": quire skipped [--json | --csv]`);
    const list = await (await ctx.open()).handlers.skippedFiles({ limit: 100_000 });
    const { out } = ctx.io;
    if (ctx.flags.json) {
      out.write(JSON.stringify(list, null, 2) + '\n');
    } else if (ctx.flags.csv) {
      out.write(csvLine(['path', 'reason', 'meaning', 'message', 'seen_at']));
      for (const f of list.files) out.write(csvLine([f.path, f.reason, SKIP_REASON_TEXT[f.reason], f.message, new Date(f.seenAt).toISOString()]));
    } else if (list.total === 0) {
      out.write('No files skipped: every file found under the added paths is queued or read.\n');
    } else {
      for (const f of list.files) out.write(`${f.path}\n  ${f.reason}: ${f.message}\n`);
      if (list.total > list.files.length) out.write(`... and ${list.total - list.files.length} more\n`);
      out.write(`${list.total} not read: ${list.byReason.map((r) => `${r.count} ${r.reason} (${SKIP_REASON_TEXT[r.reason]})`).join('; ')}.\n`);
    }
    return 0;
  },
};
