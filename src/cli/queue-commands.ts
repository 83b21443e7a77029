/** Commands on the queue itself: ingest, stats, failures, requeue, pause, resume, cancel, languages, config. */
import { resolve } from 'node:path';
import { type ErrorKind, failureRemedy, QuireError } from '../shared/errors';
import { describeWorkers, type QueueStats } from '../shared/stats';
import type { Host } from '../core/host';
import type { Command, CommandContext } from './command';
import { addLanguage } from '../core/config/language-data';
import { checkNamedPaths } from '../core/ingest/ingest';
import { LanguageChoiceError, languageName } from '../shared/languages';
import { LANG_HELP, langFlag } from './lang-flag';
import { bar, minutes, notReadLines, statusLine, table } from './output';

function usageError(message: string): QuireError {
  return new QuireError('usage', message);
}

function statsLine(s: QueueStats): string {
  const total = s.pending + s.processing + s.completed + s.failed + s.cancelled;
  const done = s.completed + s.failed + s.cancelled;
  return (
    `${bar(total ? done / total : 1)} ${done}/${total}  pending ${s.pending}  processing ${s.processing}  ` +
    `completed ${s.completed}  failed ${s.failed}` +
    (s.paused ? '  (paused)' : '') +
    (s.throttleReason ? `  (${s.throttleReason})` : '')
  );
}

/** `ingest --monitor`: follow the queue until nothing is pending or processing (another host does the work). */
export async function monitor(ctx: Pick<CommandContext, 'io'>, host: Pick<Host, 'subscribe' | 'handlers'>): Promise<void> {
  const line = statusLine(ctx.io.err);
  let hinted = false;
  // The first look is a snapshot asked for at the start; a change heard since is newer, so a
  // snapshot answered after it is stale. The closing line is written once.
  let finished = false;
  let heard = false;
  await new Promise<void>((done) => {
    const look = (s: QueueStats, fromEvent: boolean) => {
      if (finished || (!fromEvent && heard)) return;
      if (fromEvent) heard = true;
      if (s.pending + s.processing === 0) {
        finished = true;
        line.done();
        ctx.io.out.write(statsLine(s) + '\n');
        off();
        done();
        return;
      }
      if (!hinted && s.processing === 0) {
        ctx.io.err.write('Waiting for a worker to process the queue (quire worker, quire serve or the app).\n');
        hinted = true;
      }
      line.update(statsLine(s));
    };
    const off = host.subscribe((m) => m.event === 'statsChanged' && look(m.data, true));
    void host.handlers.stats().then((s) => look(s, false));
  });
}

const REQUEUE_HELP =
  '  --failed             failed jobs only\n' +
  '  --cancelled          cancelled jobs only (default: both)\n' +
  '  --kind <error_kind>  only jobs that ended with that kind\n' +
  '  --folder <dir>       only files under that folder\n' +
  '  --job <id>           only that job (an unknown id is an error)\n' +
  '  --force              also requeue failures whose file must be fixed (corrupt, password-protected, too large,\n' +
  '                       unsupported, missing, not permitted) although the file has not changed since it failed';

const REQUEUE_OPTIONS = {
  failed: { type: 'boolean' },
  cancelled: { type: 'boolean' },
  kind: { type: 'string' },
  folder: { type: 'string' },
  job: { type: 'string' },
  force: { type: 'boolean' },
} as const;

async function requeueCommand(ctx: CommandContext, statuses: ('failed' | 'cancelled')[]): Promise<number> {
  if (ctx.args.length) throw usageError(`Unexpected argument "${ctx.args[0]}": give a job id with --job <id>.`);
  const kind = ctx.flags.kind as string | undefined;
  const job = ctx.flags.job as string | undefined;
  const folder = ctx.flags.folder as string | undefined;
  const r = await (await ctx.open()).handlers.requeue({
    statuses,
    // The API checks the kind and refuses an unknown one with the list of kinds.
    ...(kind !== undefined ? { kind: kind as ErrorKind } : {}),
    ...(job !== undefined ? { jobId: job } : {}),
    ...(folder !== undefined ? { folder: resolve(folder) } : {}),
    ...(ctx.flags.force ? { force: true } : {}),
  });
  ctx.io.out.write(r.message[0]!.toUpperCase() + r.message.slice(1) + '\n');
  if (r.left.some((g) => g.reason.includes('not changed'))) {
    ctx.io.out.write('Fix or replace those files and requeue again, requeue them anyway with --force, or dismiss them (quire dismiss).\n');
  }
  return 0;
}

/** The closing hint after a list of failures: what to do, per kind (src/shared/errors.ts FAILURE_REMEDY). */
export function failureHint(rows: readonly { kind: ErrorKind | null }[]): string {
  const fix = new Set<string>();
  const retry = new Set<string>();
  for (const r of rows) (failureRemedy(r.kind) === 'fix_file' ? fix : retry).add(r.kind ?? 'unknown');
  let out = '';
  if (retry.size) out += `A retry may help (${[...retry].join(', ')}): quire requeue --failed\n`;
  if (fix.size) {
    out += `Fix or replace the file first (${[...fix].join(', ')}), then: quire requeue --failed (it requeues files that changed); or dismiss them: quire dismiss --kind <error_kind>\n`;
  }
  return out;
}

export const QUEUE_COMMANDS: Command[] = [
  {
    name: 'ingest',
    createsQueue: () => true,
    usage: 'quire ingest <path>... [--lang <codes>] [--monitor]',
    summary: 'Add files and folders (walked recursively) to the OCR queue.',
    help: LANG_HELP + '  --monitor           then show the queue\'s progress until nothing is pending or processing (a worker elsewhere does the OCR).',
    options: { monitor: { type: 'boolean' }, lang: { type: 'string' } },
    async run(ctx) {
      if (ctx.args.length === 0) throw usageError('ingest needs at least one file or folder: quire ingest <path>...');
      await checkNamedPaths(ctx.args);
      const host = await ctx.open({ live: Boolean(ctx.flags.monitor) });
      const languages = langFlag(ctx, host);
      const line = statusLine(ctx.io.err);
      const off = host.subscribe((m) => {
        if (m.event === 'ingestProgress' && !m.data.done) {
          const c = m.data;
          line.update(`seen ${c.seen}  enqueued ${c.enqueued}  unchanged ${c.unchanged}  unsupported ${c.unsupported}  unreadable ${c.unreadable}`);
        }
        // Another process holding the queue database locked: ingest waits, and says so.
        if (m.event === 'storageStatus') {
          line.done();
          ctx.io.err.write(`${m.data.message}\n`);
        }
      });
      const report = await host.handlers.addPaths({ paths: ctx.args.map((a) => resolve(a)), ...(languages ? { languages } : {}) });
      off();
      line.done();
      const { out } = ctx.io;
      out.write(
        table([
          ['seen', String(report.seen)],
          ['enqueued', String(report.enqueued)],
          ['unchanged', String(report.unchanged)],
          ...(report.alreadyQueued ? [['already queued', String(report.alreadyQueued)]] : []),
          ...(report.requeued ? [['cancelled, queued again', String(report.requeued)]] : []),
          ['unsupported', String(report.unsupported)],
          ['unreadable', String(report.unreadable)],
        ]),
      );
      // Every file found and not read, counted by reason, the first ones named.
      out.write(notReadLines(report.notRead, 'see quire skipped'));
      if (ctx.flags.monitor) await monitor(ctx, host);
      return 0;
    },
  },
  {
    name: 'stats',
    usage: 'quire stats [--json]',
    summary: 'Show queue statistics (pending, processing, failed, completed today, waits).',
    help:
      "  --json  the statistics as JSON (the seed's keys plus Quire's; workersAllowed and throttleReason say how many\n" +
      '          OCR workers the running hosts allow now and why, null at full speed or with no host running).',
    options: { json: { type: 'boolean' } },
    async run(ctx) {
      const s = await (await ctx.open()).handlers.stats();
      if (ctx.flags.json) {
        ctx.io.out.write(JSON.stringify(s, null, 2) + '\n');
        return 0;
      }
      ctx.io.out.write(
        table([
          ['pending', String(s.pending)],
          ['processing', String(s.processing)],
          ['completed', String(s.completed)],
          ['failed', String(s.failed)],
          ['cancelled', String(s.cancelled)],
          ['completed today', String(s.completed_today)],
          ['completed last hour', String(s.completed_last_hour)],
          ['average wait', minutes(s.avg_wait_time_minutes)],
          ['oldest pending', minutes(s.oldest_pending_minutes)],
          ['queue', s.paused ? 'paused' : 'running'],
          ['workers', describeWorkers(s) ?? 'no worker host running'],
        ]),
      );
      for (const j of s.in_progress) {
        const at = j.page && j.pages ? `page ${j.page} of ${j.pages}` : 'starting';
        ctx.io.out.write(`  ${at}  ${j.path}\n`);
      }
      return 0;
    },
  },
  {
    name: 'failures',
    usage: 'quire failures [--json | --csv]',
    summary: 'List failed files with the error kind, message and attempts.',
    help: '  --json  as JSON\n  --csv   as CSV (path, error_kind, reason, message, attempts, job_id), as the app exports it',
    options: { json: { type: 'boolean' }, csv: { type: 'boolean' } },
    async run(ctx) {
      if (ctx.flags.json && ctx.flags.csv) throw usageError('Choose one of --json and --csv.');
      const { handlers } = await ctx.open();
      const { out } = ctx.io;
      if (ctx.flags.csv) {
        out.write(await handlers.exportFailuresCsv());
        return 0;
      }
      const rows = await handlers.failures();
      if (ctx.flags.json) out.write(JSON.stringify(rows, null, 2) + '\n');
      else if (rows.length === 0) out.write('No failed files.\n');
      else {
        for (const r of rows) out.write(`${r.path}\n  ${r.kind ?? 'unknown'}: ${r.message ?? ''} (attempts: ${r.attempts}, job ${r.jobId})\n`);
        out.write(`${rows.length} failed.\n` + failureHint(rows));
      }
      return 0;
    },
  },
  {
    name: 'requeue',
    usage: 'quire requeue [--failed] [--cancelled] [--kind <error_kind>] [--folder <dir>] [--job <id>] [--force]',
    summary: 'Put failed and cancelled jobs back in the queue (a file that must be fixed only once it changed, or with --force).',
    help: REQUEUE_HELP,
    options: REQUEUE_OPTIONS,
    async run(ctx) {
      const failed = Boolean(ctx.flags.failed);
      const cancelled = Boolean(ctx.flags.cancelled);
      const statuses: ('failed' | 'cancelled')[] = failed === cancelled ? ['failed', 'cancelled'] : failed ? ['failed'] : ['cancelled'];
      return requeueCommand(ctx, statuses);
    },
  },
  {
    name: 'requeue-failed',
    usage: 'quire requeue-failed [--kind <error_kind>] [--folder <dir>] [--job <id>] [--force]',
    summary: 'Put failed jobs back in the queue: quire requeue --failed.',
    help: REQUEUE_HELP.split('\n').filter((l) => !/--failed|--cancelled/.test(l)).join('\n'),
    options: { kind: { type: 'string' }, folder: { type: 'string' }, job: { type: 'string' }, force: { type: 'boolean' } },
    async run(ctx) {
      return requeueCommand(ctx, ['failed']);
    },
  },
  {
    name: 'dismiss',
    usage: 'quire dismiss <job-id> | --kind <error_kind> | --folder <dir> | --all',
    summary: 'Dismiss failures: they leave the failures list and the failed count (the files and documents stay).',
    help:
      '  --kind <error_kind>  every failure of that kind\n  --folder <dir>       every failure under that folder\n  --all                every failure\n' +
      '  A dismissed failure stays dismissed while its file is unchanged; a changed file is read again.',
    options: { kind: { type: 'string' }, folder: { type: 'string' }, all: { type: 'boolean' } },
    async run(ctx) {
      const kind = ctx.flags.kind as string | undefined;
      const folder = ctx.flags.folder as string | undefined;
      const all = Boolean(ctx.flags.all);
      const given = [ctx.args.length > 0, kind !== undefined, folder !== undefined, all].filter(Boolean).length;
      if (given !== 1 || ctx.args.length > 1) throw usageError('Say which failures: quire dismiss <job-id> | --kind <error_kind> | --folder <dir> | --all');
      const n = await (await ctx.open()).handlers.dismissFailures({
        ...(ctx.args[0] !== undefined ? { jobId: ctx.args[0] } : {}),
        ...(kind !== undefined ? { kind: kind as ErrorKind } : {}),
        ...(folder !== undefined ? { folder: resolve(folder) } : {}),
        ...(all ? { all: true } : {}),
      });
      ctx.io.out.write(`Dismissed ${n} failure${n === 1 ? '' : 's'}.\n`);
      return 0;
    },
  },
  {
    name: 'remove',
    usage: 'quire remove <file or folder>...',
    summary: "Remove documents from Quire (queue, lists, search); your files are not touched.",
    help: '  A folder removes every document under it. Adding a file again later reads it again.\n  Files in a watched folder are refused: stop watching the folder first (quire watch remove <dir>).',
    async run(ctx) {
      if (ctx.args.length === 0) throw usageError('remove needs at least one file or folder: quire remove <path>...');
      const { removed } = await (await ctx.open()).handlers.removeDocuments({ paths: ctx.args.map((a) => resolve(a)) });
      ctx.io.out.write(`Removed ${removed} document${removed === 1 ? '' : 's'} from Quire. The files themselves were not touched.\n`);
      return 0;
    },
  },
  {
    name: 'pause',
    createsQueue: () => true, // pausing before adding work is a way to start
    usage: 'quire pause',
    summary: 'Stop workers from starting new jobs (ingest still enqueues); persists across restarts.',
    details:
      'Running files finish; no new file starts until quire resume, on every host using this queue (the app, quire worker,\n' +
      'quire serve, other machines on a shared PostgreSQL queue). quire run on a paused queue exits 1 and says so.',
    async run(ctx) {
      await (await ctx.open()).handlers.pause();
      ctx.io.out.write('Queue paused. Running jobs finish; no new job starts until quire resume.\n');
      return 0;
    },
  },
  {
    name: 'resume',
    createsQueue: () => true, // pausing before adding work is a way to start
    usage: 'quire resume',
    summary: 'Let workers start jobs again.',
    details:
      'Undoes quire pause for every host using this queue; running hosts pick the change up within seconds.',
    async run(ctx) {
      await (await ctx.open()).handlers.resume();
      ctx.io.out.write('Queue resumed.\n');
      return 0;
    },
  },
  {
    name: 'cancel',
    usage: 'quire cancel <job-id> | --all-pending',
    summary: 'Cancel one job, or every pending job.',
    help: '  --all-pending  cancel every pending job',
    options: { 'all-pending': { type: 'boolean' } },
    async run(ctx) {
      const all = Boolean(ctx.flags['all-pending']);
      if (all === ctx.args.length > 0 || ctx.args.length > 1) {
        throw usageError('Give one job id, or --all-pending: quire cancel <job-id> | --all-pending');
      }
      const { handlers } = await ctx.open();
      const n = all ? await handlers.cancel({ allPending: true }) : await handlers.cancel({ jobId: ctx.args[0]! });
      ctx.io.out.write(`Cancelled ${n} job${n === 1 ? '' : 's'}.\n`);
      return 0;
    },
  },
  {
    name: 'languages',
    createsQueue: () => true,
    usage: 'quire languages [--add <code.traineddata[.gz] | @tesseract.js-data/<code> package folder>]',
    summary: 'List the OCR languages: code, name, and whether it was added to the data folder (choose with: quire config set ocr_languages eng+fra, or --lang per run).',
    help:
      '  --add <path>  add a language to the data folder (<data dir>/languages): a <code>.traineddata(.gz) file, or the\n' +
      '                folder of an @tesseract.js-data/<code> npm package (npm pack @tesseract.js-data/<code>, then untar)',
    options: { add: { type: 'string' } },
    async run(ctx) {
      if (ctx.args.length) throw usageError(`Unexpected argument "${ctx.args[0]}": quire languages [--add <file or folder>]`);
      const host = await ctx.open();
      const { handlers } = host;
      if (typeof ctx.flags.add === 'string') {
        let code: string;
        try {
          code = addLanguage(resolve(ctx.flags.add), host.quire.dataDir);
        } catch (err) {
          if (err instanceof LanguageChoiceError) throw usageError(`Cannot add ${ctx.flags.add}: ${err.message}`);
          throw err;
        }
        ctx.io.out.write(`Added ${code} (${languageName(code)}). Choose it with --lang ${code} or quire config set ocr_languages ${code}; Quire hosts started from now on (quire run, quire worker, the app after a restart) can read it.\n`);
        return 0;
      }
      const installed = await handlers.languages();
      if (installed.length === 0) {
        throw new QuireError('no_languages', 'No OCR language data is installed. Run npm install (it copies the language data into resources/tessdata).');
      }
      const chosen = String((await handlers.settings()).find((s) => s.key === 'ocr_languages')?.value ?? '').split('+');
      for (const l of installed) {
        ctx.io.out.write(`${l.code.padEnd(8)} ${l.name}${l.source === 'added' ? ' (added to the data folder)' : ''}${chosen.includes(l.code) ? '  (in use)' : ''}\n`);
      }
      return 0;
    },
  },
  {
    name: 'config',
    createsQueue: () => true,
    usage: 'quire config list | get <key> | set <key> <value>',
    summary: 'Show or change settings (saved in the database); says whether a running Quire applies a change at once, from the next file, or after a restart.',
    details:
      'list: every setting with its value and where it comes from (default, saved, or an environment variable, which wins).\n' +
      'get <key>: one value. set <key> <value>: checked, saved in the queue database, used by every host of this queue, and\n' +
      'says when a running Quire applies it (at once, from the next file, or after a restart for the few read at start-up).\n' +
      'Example: quire config set ocr_languages eng+deu. The README lists every setting.',
    async run(ctx) {
      const [sub, key, value, ...rest] = ctx.args;
      const { out } = ctx.io;
      const { handlers } = await ctx.open();
      const settings = await handlers.settings();
      if (sub === 'list' && !key) {
        const when = { now: 'at once', next_file: 'next file', restart: 'restart' } as const;
        out.write(table([['setting', 'value', 'from', 'env', 'applies'], ...settings.map((s) => [s.key, String(s.value), s.source, s.env, when[s.applies]])]));
        return 0;
      }
      if (sub === 'get' && key && value === undefined) {
        const s = settings.find((x) => x.key === key);
        if (!s) throw new QuireError('unknown_setting', `There is no setting called "${key}". Settings: ${settings.map((x) => x.key).join(', ')}.`);
        out.write(String(s.value) + '\n');
        return 0;
      }
      if (sub === 'set' && key && value !== undefined && rest.length === 0) {
        const r = await handlers.updateSettings({ values: { [key]: value } });
        if (r.errors.length) throw new QuireError('invalid_setting', r.errors.map((e) => e.message).join(' '));
        const s = r.settings.find((x) => x.key === key)!;
        out.write(`${s.key} = ${String(s.value)}\n`);
        if (s.capped) out.write(`${s.capped}\n`);
        if (s.source === 'env') out.write(`Note: the environment variable ${s.env} overrides this setting while it is set.\n`);
        else out.write(`Saved; ${s.appliesNote.charAt(0).toLowerCase()}${s.appliesNote.slice(1)}\n`);
        return 0;
      }
      throw usageError('Usage: quire config list | get <key> | set <key> <value>');
    },
  },
];
