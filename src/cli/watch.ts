/**
 * `quire watch add|remove|list|run`: argument parsing and printing only; the logic is in
 * core/watch, shared with the app and the server.
 */
import { QuireError } from '../shared/errors';
import type { WatchedFolder } from '../core/store/types';
import type { WatchStatus } from '../core/watch/host';
import { startWatching } from '../core/watch/host';
import { addWatchedFolder, listWatchedFolders, removeWatchedFolder } from '../core/watch/folders';
import type { Command, CommandContext } from './commands';
import { table } from './output';

export const WATCH_USAGE =
  'quire watch add <dir> [--poll] [--ignore <glob>]... [--txt] [--pdf] [--output-dir <dir>]\n' +
  '       quire watch remove <dir>\n' +
  '       quire watch list [--json]\n' +
  '       quire watch run';

function outputsText(f: WatchedFolder): string {
  const kinds = [f.outputs.txt ? 'txt' : '', f.outputs.pdf ? 'pdf' : ''].filter(Boolean).join('+');
  if (!kinds) return '-';
  return f.outputs.dir ? `${kinds} -> ${f.outputs.dir}` : `${kinds} beside sources`;
}

function when(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

function usage(message: string): QuireError {
  return new QuireError('usage', `${message}\nUsage: ${WATCH_USAGE}`);
}

async function list(ctx: CommandContext): Promise<number> {
  const folders = await listWatchedFolders(ctx.quire.store);
  const { out } = ctx.io;
  if (ctx.flags.json) {
    out.write(JSON.stringify(folders, null, 2) + '\n');
    return 0;
  }
  if (folders.length === 0) {
    out.write('No watched folders. Add one with: quire watch add <dir>\n');
    return 0;
  }
  out.write(
    table([
      ['folder', 'state', 'mode', 'ignore', 'outputs', 'last scan (UTC)'],
      ...folders.map((f) => [
        f.path,
        f.state,
        f.poll ? 'poll' : 'auto',
        f.ignore.length ? f.ignore.join(' ') : '-',
        outputsText(f),
        when(f.lastScanAt),
      ]),
    ]),
  );
  for (const f of folders) if (f.stateMessage) out.write(`${f.path}: ${f.stateMessage}\n`);
  out.write('States are as last reported by a running Quire host (quire worker, quire serve, the app or quire watch run).\n');
  return 0;
}

async function run(ctx: CommandContext): Promise<number> {
  const { out } = ctx.io;
  const config = await ctx.quire.config();
  if (!config.enable_background_ocr) {
    out.write('enable_background_ocr is off: nothing is watched until it is on (quire config set enable_background_ocr on).\n');
  }
  const handle = startWatching(ctx.quire);
  let last = '';
  const printStatus = (s: WatchStatus) => {
    const text = s.folders.map((f) => `${f.path}: ${f.state}${f.message ? ` (${f.message})` : ''}`).join('\n');
    if (text && text !== last) out.write(text + '\n');
    last = text;
  };
  handle.on('status', printStatus);
  handle.on('file', (e) => {
    if (e.outcome !== 'unchanged') out.write(`${e.outcome}: ${e.path}\n`);
  });
  await handle.ready;
  const s = handle.status();
  if (s.folders.length === 0 && s.enabled) out.write('No watched folders yet; add one with quire watch add <dir> (picked up within 5 s).\n');
  printStatus(s);
  out.write('Watching; new and changed files are enqueued. Stop with Ctrl+C.\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await handle.stop();
  out.write('Stopped watching.\n');
  return 0;
}

export const watchCommand: Command = {
  name: 'watch',
  usage: WATCH_USAGE,
  summary: 'Watched folders: add, remove, list; `watch run` only watches and enqueues until stopped.',
  options: {
    poll: { type: 'boolean' },
    ignore: { type: 'string', multiple: true },
    txt: { type: 'boolean' },
    pdf: { type: 'boolean' },
    'output-dir': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    const [sub, dir, ...rest] = ctx.args;
    const { out } = ctx.io;
    if (sub === 'add' && dir && rest.length === 0) {
      const { folder, notes } = await addWatchedFolder(ctx.quire.store, dir, {
        poll: Boolean(ctx.flags.poll),
        ignore: (ctx.flags.ignore as string[] | undefined) ?? [],
        txt: Boolean(ctx.flags.txt),
        pdf: Boolean(ctx.flags.pdf),
        ...(ctx.flags['output-dir'] !== undefined ? { outputDir: ctx.flags['output-dir'] as string } : {}),
      });
      out.write(`Watching ${folder.path}${folder.poll ? ' (polling)' : ''}.\n`);
      for (const n of notes) out.write(n + '\n');
      if (folder.outputs.pdf) {
        out.write('Searchable PDFs (.ocr.pdf) are made by the host after each file: about one more OCR pass per file.\n');
      }
      out.write('Files are enqueued while a Quire host runs (quire worker, quire serve, the app, or quire watch run).\n');
      return 0;
    }
    if (sub === 'remove' && dir && rest.length === 0) {
      await removeWatchedFolder(ctx.quire.store, dir);
      out.write(`No longer watching ${dir}. Its documents and their text are kept.\n`);
      return 0;
    }
    if (sub === 'list' && !dir) return list(ctx);
    if (sub === 'run' && !dir) return run(ctx);
    throw usage(sub ? `Unknown or incomplete watch command "${[sub, dir, ...rest].filter(Boolean).join(' ')}".` : 'watch needs a sub-command.');
  },
};
