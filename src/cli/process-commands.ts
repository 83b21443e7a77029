/**
 * Processing commands: run (ingest + OCR until done), worker (OCR until stopped), and the
 * commands that read results (text, search, export).
 */
import { resolve, sep } from 'node:path';
import { CORES, parseSettingValue } from '../core/config/config';
import { QuireError } from '../shared/errors';
import { exportDocuments, parseFormats } from '../core/export/export';
import { createHost } from '../core/host';
import { isStorageFault } from '../core/pool/supervisor';
import { damagedDatabaseMessage, isDatabaseDamaged } from '../core/store/storage-fault';
import type { QueueStats } from '../shared/stats';
import type { Command, CommandContext } from './commands';
import { statusLine } from './output';
import { duration, RunProgress } from './run-progress';

const DEFAULT_GRACE_SECONDS = 30;
export const EXIT_INTERRUPTED = 130;

function usageError(message: string): QuireError {
  return new QuireError('usage', message);
}

function concurrencyFlag(ctx: CommandContext): number | undefined {
  const raw = ctx.flags.concurrency;
  if (raw === undefined) return undefined;
  return Math.min(parseSettingValue('concurrent_ocr_jobs', String(raw), '--concurrency') as number, CORES);
}

function graceFlag(ctx: CommandContext): number {
  const raw = ctx.flags.grace;
  if (raw === undefined) return DEFAULT_GRACE_SECONDS * 1000;
  const n = Number(raw);
  if (!/^\d+$/.test(String(raw)) || n > 86_400) throw usageError(`Invalid --grace "${String(raw)}": give whole seconds (0 to 86400).`);
  return n * 1000;
}

function under(roots: readonly string[], path: string): boolean {
  return roots.some((r) => path === r || path.startsWith(r.endsWith(sep) ? r : r + sep));
}

interface ProcessOptions {
  concurrency: number | undefined;
  graceMs: number;
  /** run: stop when nothing is pending or processing. worker: run until a signal. */
  untilDrained: boolean;
}

interface ProcessOutcome {
  progress: RunProgress;
  interrupted: boolean;
  fatal: string | undefined;
  /** The fatal message was printed already (as a storage message). */
  fatalShown: boolean;
  /** The queue was paused (quire pause) while this run waited. */
  paused: boolean;
}

/**
 * Run a pool against the queue (and, for `worker`, watch the watched folders); SIGINT/SIGTERM
 * stop it gracefully, a second signal at once.
 */
async function processQueue(ctx: CommandContext, o: ProcessOptions): Promise<ProcessOutcome> {
  const { quire, io } = ctx;
  const host = await createHost({ quire, concurrency: o.concurrency, watch: !o.untilDrained });
  const pool = host.pool!;
  const start = await quire.store.stats();
  const progress = new RunProgress(pool, start.pending + start.processing);
  const line = statusLine(io.err);
  let wake: () => void = () => {};
  let interrupted = false;
  let fatal: string | undefined;
  let fatalShown = false;
  let lastStorage = '';
  let paused = false;
  // Disk full / read-only database: say so (processing waits and resumes by itself).
  pool.on('storage', (e) => {
    line.done();
    io.err.write(`${e.message}\n`);
    lastStorage = e.message;
  });
  pool.on('fatal', (e) => {
    fatal = e.message;
    fatalShown = e.message === lastStorage;
    wake();
  });
  if (!o.untilDrained) {
    pool.on('job-failed', (e) => {
      if (e.outcome === 'failed') {
        line.done();
        io.err.write(`failed: ${e.path} (${e.kind}: ${e.message})\n`);
      }
    });
  }
  const onSignal = (signal: NodeJS.Signals) => {
    if (!interrupted) {
      interrupted = true;
      line.done();
      io.err.write(
        `${signal}: stopping; running jobs get ${Math.round(o.graceMs / 1000)} s to finish, the rest go back to the queue. Press Ctrl-C again to stop now.\n`,
      );
      wake();
    } else void host.stop(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let last: QueueStats = start;
  try {
    for (;;) {
      if (interrupted || fatal) break;
      let s: QueueStats;
      try {
        s = last = await quire.store.stats();
      } catch (err) {
        // Database away (PostgreSQL down, disk trouble): the pool says so and reconnects; keep
        // showing the last figures until it is back. Damaged: stop with what to do.
        if (isDatabaseDamaged(err)) {
          fatal = damagedDatabaseMessage(err);
          break;
        }
        if (!isStorageFault(err)) throw err;
        s = last;
      }
      progress.filesTotal = Math.max(progress.filesTotal, progress.filesDone + s.pending + s.processing);
      line.update(progress.line() + `  workers ${pool.stats().busy}/${pool.concurrency}`);
      if (o.untilDrained && s.pending + s.processing === 0) break;
      if (o.untilDrained && s.paused && pool.stats().busy === 0) {
        paused = true;
        break;
      }
      await new Promise<void>((r) => {
        const t = setTimeout(r, 250);
        wake = () => {
          clearTimeout(t);
          r();
        };
      });
    }
    line.done();
    await host.stop(fatal ? 0 : o.graceMs);
  } finally {
    // After an unexpected error too: no worker process or watcher outlives the command.
    await host.stop(0);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return { progress, interrupted, fatal, fatalShown: fatalShown || (fatal !== undefined && fatal === lastStorage), paused };
}

function summary(p: RunProgress): string {
  const completed = p.filesDone - p.filesFailed;
  return (
    `Done in ${duration(p.elapsedMs)}: ${completed} file${completed === 1 ? '' : 's'} completed` +
    (p.reused ? ` (${p.reused} identical to one already done)` : '') +
    `, ${p.filesFailed} failed, ${p.pagesDone} page${p.pagesDone === 1 ? '' : 's'}, ${Math.round(p.pagesPerMinute())} pages/min.\n`
  );
}

export const PROCESS_COMMANDS: Command[] = [
  {
    name: 'run',
    usage: 'quire run <path>... [--concurrency N] [--grace <seconds>]',
    summary: 'Add files and folders, then OCR everything queued; exit 1 if any of these files failed or was unreadable.',
    options: { concurrency: { type: 'string' }, grace: { type: 'string' } },
    async run(ctx) {
      if (ctx.args.length === 0) throw usageError('run needs at least one file or folder: quire run <path>...');
      const concurrency = concurrencyFlag(ctx);
      const graceMs = graceFlag(ctx);
      const { io, quire } = ctx;
      const line = statusLine(io.err);
      const report = await quire.ingest(ctx.args, { onProgress: (c) => line.update(`ingest: seen ${c.seen}  enqueued ${c.enqueued}`) });
      line.done();
      io.err.write(
        `Ingest: ${report.seen} seen, ${report.enqueued} enqueued, ${report.unchanged} unchanged, ${report.unsupported} unsupported, ${report.unreadable} unreadable.\n`,
      );
      if (await quire.store.isPaused()) {
        io.err.write('The queue is paused, so nothing was processed. Run quire resume, then quire run again.\n');
        return 1;
      }
      const outcome = await processQueue(ctx, { concurrency, graceMs, untilDrained: true });
      io.out.write(summary(outcome.progress));
      const roots = ctx.args.map((a) => resolve(a));
      const failures = (await quire.store.listFailures()).filter((f) => under(roots, f.path));
      if (failures.length) {
        io.out.write(`Failed files (${failures.length}):\n`);
        for (const f of failures) io.out.write(`  ${f.path}\n    ${f.kind ?? 'unknown'}: ${f.message ?? ''}\n`);
        io.out.write('Requeue them with: quire requeue-failed\n');
      }
      // Files the walk could not read never became jobs, but they are not done either.
      if (report.unreadable) {
        io.out.write(`Unreadable files, not queued (${report.unreadable}):\n`);
        for (const u of report.unreadableFiles) io.out.write(`  ${u.path}\n    ${u.reason}\n`);
        if (report.unreadable > report.unreadableFiles.length) {
          io.out.write(`  ... and ${report.unreadable - report.unreadableFiles.length} more\n`);
        }
      }
      if (outcome.fatal) {
        if (!outcome.fatalShown) io.err.write(`quire: ${outcome.fatal}\n`);
        return 1;
      }
      if (outcome.interrupted) return EXIT_INTERRUPTED;
      if (outcome.paused) {
        io.err.write('The queue was paused, so some files are still pending. Run quire resume, then quire run again.\n');
        return 1;
      }
      return failures.length || report.unreadable ? 1 : 0;
    },
  },
  {
    name: 'worker',
    usage: 'quire worker [--concurrency N] [--grace <seconds>]',
    summary: 'OCR queued files until stopped (Ctrl-C / SIGTERM let running jobs finish).',
    options: { concurrency: { type: 'string' }, grace: { type: 'string' } },
    async run(ctx) {
      const outcome = await processQueue(ctx, { concurrency: concurrencyFlag(ctx), graceMs: graceFlag(ctx), untilDrained: false });
      ctx.io.out.write(summary(outcome.progress));
      if (outcome.fatal) {
        if (!outcome.fatalShown) ctx.io.err.write(`quire: ${outcome.fatal}\n`);
        return 1;
      }
      return 0;
    },
  },
  {
    name: 'text',
    usage: 'quire text <file>',
    summary: 'Print the recognised text of a processed file.',
    async run(ctx) {
      if (ctx.args.length !== 1) throw usageError('Give one file: quire text <file>');
      const path = resolve(ctx.args[0]!);
      const doc = await ctx.quire.store.getDocumentByPath(path);
      if (!doc) throw new QuireError('not_found', `${path} is not in Quire's queue. Add it with quire run ${ctx.args[0]}.`);
      if (doc.ocrStatus !== 'completed') {
        const why = doc.ocrStatus === 'failed' ? ` (${doc.ocrErrorKind ?? 'error'}: ${doc.ocrError ?? ''})` : '';
        throw new QuireError('not_ready', `${path} has no text yet: its status is ${doc.ocrStatus}${why}.`);
      }
      const text = doc.text ?? '';
      ctx.io.out.write(text.endsWith('\n') ? text : text + '\n');
      return 0;
    },
  },
  {
    name: 'search',
    usage: 'quire search <words>... [--json] [--limit N]',
    summary: 'Find processed files containing all the words (word* matches prefixes); exit 1 when none.',
    options: { json: { type: 'boolean' }, limit: { type: 'string' } },
    async run(ctx) {
      if (ctx.args.length === 0) throw usageError('Give words to search for: quire search <words>...');
      const rawLimit = ctx.flags.limit === undefined ? '20' : String(ctx.flags.limit);
      const limit = Number(rawLimit);
      if (!/^\d+$/.test(rawLimit) || limit < 1 || limit > 10_000) throw usageError(`Invalid --limit "${rawLimit}": give 1 to 10000.`);
      const hits = await ctx.quire.store.search(ctx.args.join(' '), limit);
      if (ctx.flags.json) {
        ctx.io.out.write(JSON.stringify(hits, null, 2) + '\n');
      } else if (hits.length === 0) {
        ctx.io.err.write('No matches.\n');
      } else {
        // The store marks matches with \u0002 ... \u0003; a terminal shows them as [ ].
        const marked = (s: string) => s.replaceAll('\u0002', '[').replaceAll('\u0003', ']');
        for (const h of hits) ctx.io.out.write(`${h.path}\n  ${marked(h.snippet).replace(/\s+/g, ' ').trim()}\n`);
      }
      return hits.length ? 0 : 1;
    },
  },
  {
    name: 'export',
    usage: 'quire export --out <dir> [--format txt,json,pdf]',
    summary: 'Write the text of every processed file under <dir>, mirroring the files\' paths.',
    options: { out: { type: 'string' }, format: { type: 'string' } },
    async run(ctx) {
      const out = ctx.flags.out;
      if (typeof out !== 'string' || out === '') throw usageError('Say where to write: quire export --out <dir> [--format txt,json,pdf]');
      if (ctx.args.length) throw usageError(`Unexpected argument "${ctx.args[0]}": quire export --out <dir> [--format txt,json,pdf]`);
      const formats = parseFormats(typeof ctx.flags.format === 'string' ? ctx.flags.format : 'txt');
      const line = statusLine(ctx.io.err);
      const config = await ctx.quire.config();
      const report = await exportDocuments(ctx.quire.store, {
        out: resolve(out),
        formats,
        onProgress: (n) => line.update(`exported ${n}`),
        // Searchable PDFs are laid out from the source images with tesseract's own PDF renderer,
        // in this process: about as slow as the OCR itself (it reads every page again).
        pdfWriter: formats.includes('pdf')
          ? async (doc) => {
              const { createSearchablePdf, defaultTessdataDir, readInput } = await import('../core/ocr/index');
              const { languageFoldersFor, languagePath } = await import('../core/ocr/language-data');
              return createSearchablePdf(
                await readInput(doc.path),
                { languages: config.ocr_languages, langPath: languagePath(languageFoldersFor(ctx.quire.dataDir, defaultTessdataDir())), keepExistingText: config.keep_existing_text },
              );
            }
          : undefined,
      });
      line.done();
      for (const s of report.skipped) ctx.io.err.write(`skipped: ${s.path} (${s.reason})\n`);
      ctx.io.out.write(`Exported ${report.documents} document${report.documents === 1 ? '' : 's'} (${report.files} files) to ${resolve(out)}.\n`);
      return report.skipped.length ? 1 : 0;
    },
  },
];
