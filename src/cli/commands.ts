/**
 * The CLI's commands. Each parses its own arguments and calls core; output formatting lives here,
 * logic does not.
 */
import type { Quire } from '../core/app';
import { QuireError } from '../shared/errors';
import type { IngestCounts } from '../core/ingest/ingest';
import type { QueueStats } from '../shared/stats';
import { bar, csvLine, type Io, minutes, statusLine, table } from './output';
import { PROCESS_COMMANDS } from './process-commands';
import { watchCommand } from './watch';
import { serveCommand } from './serve';
import { REPAIR_SUMMARY, REPAIR_USAGE } from './repair';

export interface CommandContext {
  quire: Quire;
  args: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
  io: Io;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  options?: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;
  /** Needs no database (help). */
  run(ctx: CommandContext): Promise<number>;
}

function usageError(message: string): QuireError {
  return new QuireError('usage', message);
}

function ingestLine(c: IngestCounts): string {
  return `seen ${c.seen}  enqueued ${c.enqueued}  unchanged ${c.unchanged}  unsupported ${c.unsupported}  unreadable ${c.unreadable}`;
}

function statsLine(s: QueueStats): string {
  const total = s.pending + s.processing + s.completed + s.failed + s.cancelled;
  const done = s.completed + s.failed + s.cancelled;
  return (
    `${bar(total ? done / total : 1)} ${done}/${total}  pending ${s.pending}  processing ${s.processing}  ` +
    `completed ${s.completed}  failed ${s.failed}` +
    (s.paused ? '  (paused)' : '')
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function monitor(ctx: CommandContext): Promise<void> {
  const line = statusLine(ctx.io.err);
  let hinted = false;
  for (;;) {
    const s = await ctx.quire.store.stats();
    if (s.pending + s.processing === 0) {
      line.done();
      ctx.io.out.write(statsLine(s) + '\n');
      return;
    }
    if (!hinted && s.processing === 0) {
      ctx.io.err.write('Waiting for a worker to process the queue (quire worker, quire serve or the app).\n');
      hinted = true;
    }
    line.update(statsLine(s));
    await sleep(1000);
  }
}

export const COMMANDS: Command[] = [
  {
    name: 'ingest',
    usage: 'quire ingest <path>... [--monitor]',
    summary: 'Add files and folders (walked recursively) to the OCR queue.',
    options: { monitor: { type: 'boolean' } },
    async run(ctx) {
      if (ctx.args.length === 0) throw usageError('ingest needs at least one file or folder: quire ingest <path>...');
      const line = statusLine(ctx.io.err);
      const report = await ctx.quire.ingest(ctx.args, { onProgress: (c) => line.update(ingestLine(c)) });
      line.done();
      const { out } = ctx.io;
      out.write(
        table([
          ['seen', String(report.seen)],
          ['enqueued', String(report.enqueued)],
          ['unchanged', String(report.unchanged)],
          ...(report.alreadyQueued ? [['already queued', String(report.alreadyQueued)]] : []),
          ['unsupported', String(report.unsupported)],
          ['unreadable', String(report.unreadable)],
        ]),
      );
      for (const u of report.unreadableFiles) out.write(`unreadable: ${u.path} (${u.reason})\n`);
      if (report.unreadable > report.unreadableFiles.length) {
        out.write(`... and ${report.unreadable - report.unreadableFiles.length} more unreadable\n`);
      }
      if (ctx.flags.monitor) await monitor(ctx);
      return 0;
    },
  },
  {
    name: 'stats',
    usage: 'quire stats [--json]',
    summary: 'Show queue statistics (pending, processing, failed, completed today, waits).',
    options: { json: { type: 'boolean' } },
    async run(ctx) {
      const s = await ctx.quire.store.stats();
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
    options: { json: { type: 'boolean' }, csv: { type: 'boolean' } },
    async run(ctx) {
      if (ctx.flags.json && ctx.flags.csv) throw usageError('Choose one of --json and --csv.');
      const rows = await ctx.quire.store.listFailures();
      const { out } = ctx.io;
      if (ctx.flags.json) {
        out.write(JSON.stringify(rows, null, 2) + '\n');
      } else if (ctx.flags.csv) {
        out.write(csvLine(['path', 'error_kind', 'message', 'attempts', 'job_id']));
        for (const r of rows) out.write(csvLine([r.path, r.kind, r.message, r.attempts, r.jobId]));
      } else if (rows.length === 0) {
        out.write('No failed files.\n');
      } else {
        for (const r of rows) out.write(`${r.path}\n  ${r.kind ?? 'unknown'}: ${r.message ?? ''} (attempts: ${r.attempts}, job ${r.jobId})\n`);
        out.write(`${rows.length} failed. Requeue them with: quire requeue-failed\n`);
      }
      return 0;
    },
  },
  {
    name: 'requeue-failed',
    usage: 'quire requeue-failed [--kind <error_kind>] [--job <id>]',
    summary: 'Put failed jobs back in the queue with their attempts reset.',
    options: { kind: { type: 'string' }, job: { type: 'string' } },
    async run(ctx) {
      const { isErrorKind } = await import('../shared/errors');
      const kind = ctx.flags.kind as string | undefined;
      if (kind !== undefined && !isErrorKind(kind)) throw usageError(`Unknown error kind "${kind}".`);
      const n = await ctx.quire.store.requeueFailed({
        ...(kind ? { kind } : {}),
        ...(ctx.flags.job ? { jobId: ctx.flags.job as string } : {}),
      });
      ctx.io.out.write(`Requeued ${n} failed job${n === 1 ? '' : 's'}.\n`);
      return 0;
    },
  },
  {
    name: 'pause',
    usage: 'quire pause',
    summary: 'Stop workers from starting new jobs (ingest still enqueues); persists across restarts.',
    async run(ctx) {
      await ctx.quire.store.setPaused(true);
      ctx.io.out.write('Queue paused. Running jobs finish; no new job starts until quire resume.\n');
      return 0;
    },
  },
  {
    name: 'resume',
    usage: 'quire resume',
    summary: 'Let workers start jobs again.',
    async run(ctx) {
      await ctx.quire.store.setPaused(false);
      ctx.io.out.write('Queue resumed.\n');
      return 0;
    },
  },
  {
    name: 'cancel',
    usage: 'quire cancel <job-id> | --all-pending',
    summary: 'Cancel one job, or every pending job.',
    options: { 'all-pending': { type: 'boolean' } },
    async run(ctx) {
      const all = Boolean(ctx.flags['all-pending']);
      if (all === (ctx.args.length > 0) || ctx.args.length > 1) {
        throw usageError('Give one job id, or --all-pending: quire cancel <job-id> | --all-pending');
      }
      const n = all
        ? await ctx.quire.store.cancel({ allPending: true })
        : await ctx.quire.store.cancel({ jobId: ctx.args[0]! });
      if (!all && n === 0) {
        throw new QuireError('not_found', `No pending or processing job with id ${ctx.args[0]}.`);
      }
      ctx.io.out.write(`Cancelled ${n} job${n === 1 ? '' : 's'}.\n`);
      return 0;
    },
  },
  {
    name: 'languages',
    usage: 'quire languages',
    summary: 'List the installed OCR languages (choose with: quire config set ocr_languages eng+fra).',
    async run(ctx) {
      const { defaultTessdataDir } = await import('../core/ocr/languages');
      const { languageFoldersFor, listLanguages } = await import('../core/ocr/language-data');
      const dir = defaultTessdataDir();
      const folders = languageFoldersFor(ctx.quire.dataDir, dir);
      const installed = listLanguages(folders);
      const chosen = (await ctx.quire.config()).ocr_languages.split('+');
      if (installed.length === 0) {
        throw new QuireError('no_languages', `No OCR language data in ${dir}. Run npm install (it copies the language data there).`);
      }
      for (const l of installed) {
        ctx.io.out.write(`${l.code.padEnd(8)} ${l.name}${l.source === 'added' ? ` (added, ${folders.added})` : ''}${chosen.includes(l.code) ? '  (in use)' : ''}\n`);
      }
      return 0;
    },
  },
  {
    name: 'migrate-store',
    usage: 'quire migrate-store --to <postgres://user@host:port/db> [--force]',
    summary: 'Copy the SQLite queue (documents, pages, jobs, settings) into PostgreSQL; --force empties a non-empty target first.',
    options: { to: { type: 'string' }, force: { type: 'boolean' } },
    async run(ctx) {
      const to = ctx.flags.to;
      if (typeof to !== 'string' || ctx.args.length > 0) throw usageError('Usage: quire migrate-store --to <postgres://...> [--force]');
      const { migrateStore } = await import('../core/store/migrate-store');
      const line = statusLine(ctx.io.err);
      let report;
      try {
        report = await migrateStore({
          dataDir: ctx.quire.dataDir,
          to,
          force: Boolean(ctx.flags.force),
          current: ctx.quire.store,
          onProgress: (table, rows) => line.update(`copying ${table}: ${rows}`),
        });
      } finally {
        line.done();
      }
      ctx.io.out.write(table(Object.entries(report).map(([k, v]) => [k, String(v)])));
      ctx.io.out.write(`Copied into PostgreSQL. Use it with --database-url or DATABASE_URL=<url>.\n`);
      return 0;
    },
  },
  {
    name: 'config',
    usage: 'quire config list | get <key> | set <key> <value>',
    summary: 'Show or change settings (saved in the database).',
    async run(ctx) {
      const [sub, key, value, ...rest] = ctx.args;
      const { out } = ctx.io;
      if (sub === 'list' && !key) {
        const settings = await ctx.quire.settings();
        out.write(
          table([
            ['setting', 'value', 'from', 'env'],
            ...settings.map((s) => [s.key, String(s.value), s.source, s.env]),
          ]),
        );
        return 0;
      }
      if (sub === 'get' && key && value === undefined) {
        const s = (await ctx.quire.settings()).find((x) => x.key === key);
        if (!s) {
          const { definition } = await import('../core/config/config');
          definition(key); // throws the "no such setting" message
        }
        out.write(String(s!.value) + '\n');
        return 0;
      }
      if (sub === 'set' && key && value !== undefined && rest.length === 0) {
        const s = await ctx.quire.setSetting(key, value);
        out.write(`${s.key} = ${String(s.value)}\n`);
        if (s.source === 'env') out.write(`Note: the environment variable ${s.env} overrides this setting while it is set.\n`);
        return 0;
      }
      throw usageError('Usage: quire config list | get <key> | set <key> <value>');
    },
  },
  ...PROCESS_COMMANDS,
  watchCommand,
  serveCommand,
  {
    name: 'repair',
    usage: REPAIR_USAGE,
    summary: REPAIR_SUMMARY,
    options: { 'move-aside': { type: 'boolean' } },
    // Dispatched in main.ts before the store opens (a damaged database cannot be opened).
    run: async () => 2,
  },
];
