/**
 * `quire watch add|remove|list|run`: argument parsing and printing only; the host's API does the
 * rest, the same calls the app and the server make.
 */
import { resolve } from 'node:path';
import { QuireError } from '../shared/errors';
import type { WatchedFolder } from '../shared/views';
import type { Command, CommandContext } from './command';
import { LANG_HELP, langFlag } from './lang-flag';
import { table } from './output';

export const WATCH_USAGE =
  'quire watch add <dir> [--lang <codes>] [--poll] [--ignore <glob>]... [--txt] [--pdf] [--output-dir <dir>]\n' +
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
  const { folders } = await (await ctx.open()).handlers.watchedFolders();
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
      ['folder', 'state', 'mode', 'languages', 'ignore', 'outputs', 'last scan (UTC)'],
      ...folders.map((f) => [f.path, f.state, f.poll ? 'poll' : 'auto', f.languages ?? 'setting', f.ignore.length ? f.ignore.join(' ') : '-', outputsText(f), when(f.lastScanAt)]),
    ]),
  );
  for (const f of folders) if (f.error) out.write(`${f.path}: ${f.error}\n`);
  out.write('States are as last reported by a running Quire host (quire worker, quire serve, the app or quire watch run).\n');
  return 0;
}

async function run(ctx: CommandContext): Promise<number> {
  const { out } = ctx.io;
  let last = '';
  const printStatus = (folders: WatchedFolder[]) => {
    const text = folders.map((f) => `${f.path}: ${f.state}${f.error ? ` (${f.error})` : ''}`).join('\n');
    if (text && text !== last) out.write(text + '\n');
    last = text;
  };
  // Listening from the start: the first rescan enqueues files while the host is still opening.
  const host = await ctx.open({
    watch: true,
    workers: false,
    listener: (m) => {
      if (m.event === 'watcherStatus') printStatus(m.data.folders);
      if (m.event === 'watchedFile') out.write(`${m.data.outcome}: ${m.data.path}\n`);
    },
  });
  const background = (await host.handlers.settings()).find((s) => s.key === 'enable_background_ocr')?.value;
  if (background === false) {
    out.write('enable_background_ocr is off: nothing is watched until it is on (quire config set enable_background_ocr on).\n');
  }
  const { folders } = await host.handlers.watchedFolders();
  if (folders.length === 0 && background !== false) out.write('No watched folders yet; add one with quire watch add <dir> (picked up within 5 s).\n');
  printStatus(folders);
  out.write('Watching; new and changed files are enqueued. Stop with Ctrl+C.\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await host.stop(0);
  out.write('Stopped watching.\n');
  return 0;
}

export const watchCommand: Command = {
  name: 'watch',
  createsQueue: (args) => args[0] === 'add' || args[0] === 'run',
  usage: WATCH_USAGE,
  summary: 'Watched folders: add, remove, list; `watch run` only watches and enqueues until stopped.',
  help:
    LANG_HELP +
    '  --poll              poll instead of change notifications (network shares pick polling by themselves)\n' +
    '  --ignore <glob>     files not to take (repeatable; gitignore-style)\n' +
    '  --txt               write <source>.ocr.txt when each file is done\n' +
    '  --pdf               also a searchable <source>.ocr.pdf\n' +
    '  --output-dir <dir>  write the outputs into this folder instead, mirroring the tree (implies --txt)\n' +
    '  --json              (list) as JSON',
  options: {
    poll: { type: 'boolean' },
    ignore: { type: 'string', multiple: true },
    txt: { type: 'boolean' },
    pdf: { type: 'boolean' },
    'output-dir': { type: 'string' },
    lang: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    const [sub, dir, ...rest] = ctx.args;
    const { out } = ctx.io;
    if (sub === 'add' && dir && rest.length === 0) {
      const host = await ctx.open();
      const languages = langFlag(ctx, host);
      const folder = await host.handlers.addWatchedFolder({
        path: resolve(dir),
        ...(languages ? { languages } : {}),
        poll: Boolean(ctx.flags.poll),
        ignore: (ctx.flags.ignore as string[] | undefined) ?? [],
        txt: Boolean(ctx.flags.txt),
        pdf: Boolean(ctx.flags.pdf),
        ...(ctx.flags['output-dir'] !== undefined ? { outputDir: resolve(ctx.flags['output-dir'] as string) } : {}),
      });
      out.write(`Watching ${folder.path}${folder.poll ? ' (polling)' : ''}${folder.languages ? `, reading ${folder.languages}` : ''}.\n`);
      for (const n of folder.notes) out.write(n + '\n');
      if (folder.outputs.pdf) out.write('Searchable PDFs (.ocr.pdf) are made by the host after each file: about one more OCR pass per file.\n');
      out.write('Files are enqueued while a Quire host runs (quire worker, quire serve, the app, or quire watch run).\n');
      return 0;
    }
    if (sub === 'remove' && dir && rest.length === 0) {
      await (await ctx.open()).handlers.removeWatchedFolder({ path: resolve(dir) });
      out.write(`No longer watching ${dir}. Its documents and their text are kept.\n`);
      return 0;
    }
    if (sub === 'list' && !dir) return list(ctx);
    if (sub === 'run' && !dir) return run(ctx);
    throw usage(sub ? `Unknown or incomplete watch command "${[sub, dir, ...rest].filter(Boolean).join(' ')}".` : 'watch needs a sub-command.');
  },
};
