/**
 * Processing commands: run (ingest + OCR until done), worker (OCR until stopped), and the
 * commands that read results (text, search, export). The host does the work; these format it.
 */
import { resolve, sep } from 'node:path';
import { kindForPath } from '../core/ingest/formats';
import { checkNamedPaths, unsupportedSentence } from '../core/ingest/ingest';
import { QuireError } from '../shared/errors';
import type { ExportFormat } from '../shared/views';
import { concurrencyCapNote, CORES, parseSettingValue } from '../core/config/config';
import type { Host } from '../core/host';
import type { Command, CommandContext } from './command';
import { LISTED, notReadLines, statusLine, unmarkSnippet } from './output';
import { LANG_HELP, langFlag } from './lang-flag';
import { duration, RunProgress } from './run-progress';
import { failureHint } from './queue-commands';

const DEFAULT_GRACE_SECONDS = 30;
export const EXIT_INTERRUPTED = 130;

function usageError(message: string): QuireError {
  return new QuireError('usage', message);
}

function concurrencyFlag(ctx: CommandContext): number | undefined {
  const raw = ctx.flags.concurrency;
  if (raw === undefined) return undefined;
  return parseSettingValue('concurrent_ocr_jobs', String(raw), '--concurrency') as number;
}

/** Say when more workers were asked for than this machine has cores (the pool runs at most one per core). */
async function sayConcurrencyCap(ctx: CommandContext, host: Host, flag: number | undefined): Promise<void> {
  if (flag !== undefined) {
    if (flag > CORES) ctx.io.err.write(`--concurrency: ${concurrencyCapNote(flag)}\n`);
    return;
  }
  // Said when someone asked for more (a saved setting, an environment variable), not for the default.
  const setting = (await host.handlers.settings()).find((s) => s.key === 'concurrent_ocr_jobs');
  if (setting?.capped && setting.source !== 'default') ctx.io.err.write(`concurrent_ocr_jobs: ${setting.capped}\n`);
}

function graceFlag(ctx: CommandContext): number {
  const raw = ctx.flags.grace;
  if (raw === undefined) return DEFAULT_GRACE_SECONDS * 1000;
  const n = Number(raw);
  if (!/^\d+$/.test(String(raw)) || n > 86_400) throw usageError(`Invalid --grace "${String(raw)}": give whole seconds (0 to 86400).`);
  return n * 1000;
}

/** --full-speed's help, its text starting at column `col` like the other options'. */
const fullSpeedHelp = (col: number) =>
  `  ${'--full-speed'.padEnd(col - 2)}ignore battery, idle and schedule limits until the queue has nothing left to do\n` +
  `${' '.repeat(col)}(without it: fewer workers on battery, while the machine is in use or outside ocr_schedule)\n`;

function under(roots: readonly string[], path: string): boolean {
  return roots.some((r) => path === r || path.startsWith(r.endsWith(sep) ? r : r + sep));
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
 * Run the host's pool (and, for `worker`, its watcher) until the queue drains (`run`) or a signal
 * (`worker`); SIGINT/SIGTERM stop it gracefully, a second signal at once.
 */
async function processQueue(ctx: CommandContext, host: Host, o: { graceMs: number; untilDrained: boolean }): Promise<ProcessOutcome> {
  const { io } = ctx;
  if (ctx.flags['full-speed']) {
    const v = await host.handlers.runFullSpeedNow();
    if (v.overridden) io.err.write(`Running at full speed (--full-speed) instead of: ${v.overridden}.\n`);
  }
  const start = await host.handlers.stats();
  const progress = new RunProgress(start.pending + start.processing);
  const line = statusLine(io.err);
  let interrupted = false;
  let lastStorage = '';
  let fatal: string | undefined;
  const pool = host.pool!;
  const redraw = () => line.update(progress.line() + `  workers ${pool.stats().busy}/${pool.concurrency}`);
  // Battery, idle and schedule: say when they change how many workers run, and why.
  let reason = (await host.handlers.power()).throttleReason;
  if (reason) io.err.write(`Workers: ${reason}\n`);
  const off = host.subscribe((m) => {
    progress.see(m);
    if (m.event === 'statsChanged') {
      const now = host.handlers.power().then((p) => p.throttleReason);
      void now.then((r) => {
        if (r === reason) return;
        reason = r;
        line.done();
        io.err.write(r ? `Workers: ${r}\n` : 'Workers: back to full speed\n');
      });
    }
    if (m.event === 'statsChanged') progress.filesTotal = Math.max(progress.filesTotal, progress.filesDone + m.data.pending + m.data.processing);
    if (m.event === 'storageStatus') {
      // Disk full / read-only / database away: say so (processing waits and resumes by itself).
      line.done();
      io.err.write(`${m.data.message}\n`);
      lastStorage = m.data.message;
    }
    if (m.event === 'fatal') fatal ??= m.data.message;
    if (!o.untilDrained && m.event === 'jobFinished' && m.data.status === 'failed') {
      line.done();
      io.err.write(`failed: ${m.data.path} (${m.data.kind}: ${m.data.message})\n`);
    }
    redraw();
  });
  const ticker = setInterval(redraw, 1000);
  const onSignal = (signal: NodeJS.Signals) => {
    if (!interrupted) {
      interrupted = true;
      line.done();
      io.err.write(
        `${signal}: stopping; running jobs get ${Math.round(o.graceMs / 1000)} s to finish, the rest go back to the queue. Press Ctrl-C again to stop now.\n`,
      );
      void host.stop(o.graceMs);
    } else void host.stop(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let paused = false;
  try {
    const end = o.untilDrained ? await host.drain() : await untilStopped(host);
    if (end.end === 'fatal') fatal ??= end.fatal;
    paused = end.end === 'paused';
    line.done();
    await host.stop(fatal ? 0 : o.graceMs);
  } finally {
    // After an unexpected error too: no worker process or watcher outlives the command.
    clearInterval(ticker);
    off();
    await host.stop(0);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return { progress, interrupted, fatal, fatalShown: fatal !== undefined && fatal === lastStorage, paused };
}

/** `quire worker`: until a signal stops the host, or processing cannot go on. */
function untilStopped(host: Host): Promise<{ end: 'stopped' | 'fatal'; fatal?: string }> {
  return new Promise((resolve) => {
    const off = host.subscribe((m) => {
      if (m.event === 'fatal') {
        off();
        resolve({ end: 'fatal', fatal: m.data.message });
      }
    });
    void host.stopped.then(() => {
      off();
      resolve({ end: 'stopped' });
    });
  });
}

type Account = Awaited<ReturnType<Host['handlers']['accountFor']>>;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * `quire run`'s summary: every file under its paths by its state now (not by what this process's
 * pool did: another host on the same queue may have read some), each one not completed named.
 */
function runSummary(p: RunProgress, a: Account, o: { interrupted: boolean; failureHint: string }): string {
  const c = a.counts;
  const waiting = c.pending + c.processing;
  let out =
    `${o.interrupted ? 'Stopped after' : 'Done in'} ${duration(p.elapsedMs)}: ${plural(c.completed, 'file')} completed` +
    (p.reused ? ` (${p.reused} identical to one already done)` : '') +
    `, ${c.failed} failed${a.dismissed ? ` (and ${a.dismissed} dismissed)` : ''}, ${c.cancelled} cancelled, ${a.notRead.total} not read` +
    (waiting ? `, ${waiting} still queued` : '') +
    ` (${plural(p.pagesDone, 'page')} read here, ${Math.round(p.pagesPerMinute())} pages/min).\n`;
  const listed = a.unfinished.slice(0, LISTED);
  const label = (u: Account['unfinished'][number]) =>
    u.status === 'failed' ? `${u.errorKind ?? 'unknown'}: ${u.errorMessage ?? ''}` : u.status === 'cancelled' ? `cancelled${u.errorMessage ? `: ${u.errorMessage}` : ''}` : `still ${u.status}`;
  const notDone = c.failed + c.cancelled + waiting;
  if (notDone) {
    out += `Not completed (${notDone}):\n`;
    for (const u of listed) out += `  ${u.path}\n    ${label(u)}\n`;
    if (notDone > listed.length) out += `  ... and ${notDone - listed.length} more (quire failures lists the failed ones)\n`;
    if (c.failed) out += o.failureHint;
  }
  out += notReadLines(a.notRead, 'see quire skipped');
  return out;
}

function summary(p: RunProgress, interrupted = false): string {
  const completed = p.filesDone - p.filesFailed;
  return (
    `${interrupted ? 'Stopped after' : 'Done in'} ${duration(p.elapsedMs)}: ${completed} file${completed === 1 ? '' : 's'} completed` +
    (p.reused ? ` (${p.reused} identical to one already done)` : '') +
    `, ${p.filesFailed} failed, ${p.pagesDone} page${p.pagesDone === 1 ? '' : 's'}, ${Math.round(p.pagesPerMinute())} pages/min.\n`
  );
}


/** After a stop: how many files wait in the queue (the ones that were running went back there). */
async function backInQueue(host: Host): Promise<string> {
  const s = await host.handlers.stats();
  const waiting = s.pending + s.processing;
  if (waiting === 0) return 'Nothing is left in the queue.\n';
  return `${waiting} file${waiting === 1 ? ' is' : 's are'} in the queue, not yet read (files that were being read went back there): quire run or quire worker goes on with ${waiting === 1 ? 'it' : 'them'}.\n`;
}


export const PROCESS_COMMANDS: Command[] = [
  {
    name: 'run',
    createsQueue: () => true,
    usage: 'quire run <path>... [--lang <codes>] [--concurrency N] [--full-speed] [--grace <seconds>]',
    summary: 'Add files and folders, then OCR everything queued; report every file under them; exit 0 only if all completed.',
    help:
      LANG_HELP +
      '  --concurrency N     worker processes (1-64, capped at the CPU cores; default: the setting concurrent_ocr_jobs)\n' +
      fullSpeedHelp(22) +
      '  --grace <s>         on Ctrl-C, how long running files may take to finish before they go back to the queue (default 30)',
    options: { concurrency: { type: 'string' }, grace: { type: 'string' }, lang: { type: 'string' }, 'full-speed': { type: 'boolean' } },
    async run(ctx) {
      if (ctx.args.length === 0) throw usageError('run needs at least one file or folder: quire run <path>...');
      const concurrency = concurrencyFlag(ctx);
      const graceMs = graceFlag(ctx);
      const { io } = ctx;
      const roots = ctx.args.map((a) => resolve(a));
      // A missing path, or a file named here that Quire does not read, ends the command before
      // any worker starts.
      await checkNamedPaths(roots);
      const host = await ctx.open({ workers: { concurrency }, watch: false });
      const languages = langFlag(ctx, host);
      await sayConcurrencyCap(ctx, host, concurrency);
      const line = statusLine(io.err);
      const off = host.subscribe((m) => {
        if (m.event === 'ingestProgress' && !m.data.done) line.update(`ingest: seen ${m.data.seen}  enqueued ${m.data.enqueued}`);
        // Another process holding the queue database locked: ingest waits, and says so.
        if (m.event === 'storageStatus') {
          line.done();
          io.err.write(`${m.data.message}\n`);
        }
      });
      const report = await host.handlers.addPaths({ paths: roots, ...(languages ? { languages } : {}) });
      off();
      line.done();
      io.err.write(
        `Ingest: ${report.seen} seen, ${report.enqueued} enqueued, ${report.unchanged} unchanged, ${report.unsupported} unsupported, ${report.unreadable} unreadable.\n`,
      );
      if (report.requeued) io.err.write(`${report.requeued} cancelled file${report.requeued === 1 ? '' : 's'} queued again.\n`);
      if ((await host.handlers.stats()).paused) {
        io.err.write('The queue is paused, so nothing was processed. Run quire resume, then quire run again.\n');
        return 1;
      }
      const outcome = await processQueue(ctx, host, { graceMs, untilDrained: true });
      const account = await host.handlers.accountFor({ paths: roots, limit: LISTED });
      // What to do about the failures, by kind: a retry, or fixing the file first.
      const hint = account.counts.failed ? failureHint((await host.handlers.failures()).filter((f) => under(roots, f.path))) : '';
      io.out.write(runSummary(outcome.progress, account, { interrupted: outcome.interrupted, failureHint: hint }));
      if (outcome.interrupted) io.out.write(await backInQueue(host));
      if (outcome.fatal) {
        if (!outcome.fatalShown) io.err.write(`quire: ${outcome.fatal}\n`);
        return 1;
      }
      if (outcome.interrupted) return EXIT_INTERRUPTED;
      if (outcome.paused) {
        io.err.write('The queue was paused, so some files are still pending. Run quire resume, then quire run again.\n');
        return 1;
      }
      // 0 only when every file under the given paths completed.
      const c = account.counts;
      return c.failed + c.cancelled + c.pending + c.processing + account.notRead.total ? 1 : 0;
    },
  },
  {
    name: 'worker',
    createsQueue: () => true,
    usage: 'quire worker [--concurrency N] [--full-speed] [--grace <seconds>]',
    summary: 'OCR queued files until stopped (Ctrl-C / SIGTERM let running jobs finish); settings saved meanwhile apply without a restart (quire config list says when).',
    help:
      '  --concurrency N  worker processes (1-64, capped at the CPU cores; default: follow the setting concurrent_ocr_jobs, re-read every 5 s)\n' +
      fullSpeedHelp(19) +
      '  --grace <s>      on Ctrl-C, how long running files may take to finish (default 30)',
    options: { concurrency: { type: 'string' }, grace: { type: 'string' }, 'full-speed': { type: 'boolean' } },
    async run(ctx) {
      const concurrency = concurrencyFlag(ctx);
      const graceMs = graceFlag(ctx);
      const host = await ctx.open({ workers: { concurrency }, watch: true });
      await sayConcurrencyCap(ctx, host, concurrency);
      // What this machine does not report, once: the rules that need it do not apply (nothing is guessed).
      const { unavailable } = await host.handlers.power();
      for (const why of new Set(Object.values(unavailable))) ctx.io.err.write(`${why.charAt(0).toUpperCase()}${why.slice(1)}.\n`);
      const outcome = await processQueue(ctx, host, { graceMs, untilDrained: false });
      ctx.io.out.write(summary(outcome.progress, true));
      ctx.io.out.write(await backInQueue(host));
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
    details:
      'The text goes to stdout, pages separated by form feeds. Exit 1, saying the file\'s status and why, when it has no text yet\n' +
      '(pending, failed, cancelled) or is not in the queue. Example: quire text ~/scans/letter.png > letter.txt',
    async run(ctx) {
      if (ctx.args.length !== 1) throw usageError('Give one file: quire text <file>');
      const path = resolve(ctx.args[0]!);
      const { handlers } = await ctx.open();
      const doc = await handlers.text({ path }).catch((err: unknown) => {
        if (err instanceof QuireError && err.code === 'not_found') {
          // Never "add it" for a file that adding cannot help.
          if (!kindForPath(path)) throw new QuireError('not_read', `${path} is not read by Quire: ${unsupportedSentence(path)}.`);
          throw new QuireError('not_found', `${path} is not in Quire's queue. Add it with quire run ${ctx.args[0]}.`);
        }
        throw err;
      });
      if (doc.text === null && doc.status === 'cancelled') {
        throw new QuireError('not_ready', `${path} has no text: its job was cancelled. Have it read with quire run ${ctx.args[0]} (or quire requeue --cancelled).`);
      }
      if (doc.text === null) {
        const why = doc.status === 'failed' ? ` (${doc.errorKind ?? 'error'}: ${doc.errorMessage ?? ''})` : '';
        throw new QuireError('not_ready', `${path} has no text yet: its status is ${doc.status}${why}.`);
      }
      ctx.io.out.write(doc.text.endsWith('\n') ? doc.text : doc.text + '\n');
      return 0;
    },
  },
  {
    name: 'search',
    usage: 'quire search <words>... [--json] [--limit N]',
    summary: 'Find processed files containing all the words (word* matches prefixes); exit 1 when none.',
    help: '  --json     hits as JSON\n  --limit N  at most N hits (1-10000, default 20)',
    options: { json: { type: 'boolean' }, limit: { type: 'string' } },
    async run(ctx) {
      if (ctx.args.length === 0) throw usageError('Give words to search for: quire search <words>...');
      const rawLimit = ctx.flags.limit === undefined ? '20' : String(ctx.flags.limit);
      const limit = Number(rawLimit);
      if (!/^\d+$/.test(rawLimit) || limit < 1 || limit > 10_000) throw usageError(`Invalid --limit "${rawLimit}": give 1 to 10000.`);
      const hits = await (await ctx.open()).handlers.search({ query: ctx.args.join(' '), limit });
      if (ctx.flags.json) {
        ctx.io.out.write(JSON.stringify(hits.map((h) => ({ ...h, ...unmarkSnippet(h.snippet) })), null, 2) + '\n');
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
    summary: "Write the text of every processed file under <dir>, mirroring the files' paths.",
    help: '  --out <dir>       where to write (created if missing)\n  --format <list>   txt, json and/or pdf, comma-separated (default txt)',
    options: { out: { type: 'string' }, format: { type: 'string' } },
    async run(ctx) {
      const out = ctx.flags.out;
      if (typeof out !== 'string' || out === '') throw usageError('Say where to write: quire export --out <dir> [--format txt,json,pdf]');
      if (ctx.args.length) throw usageError(`Unexpected argument "${ctx.args[0]}": quire export --out <dir> [--format txt,json,pdf]`);
      const formats = (typeof ctx.flags.format === 'string' ? ctx.flags.format : 'txt')
        .split(',')
        .map((f) => f.trim().toLowerCase())
        .filter(Boolean);
      const host = await ctx.open();
      const line = statusLine(ctx.io.err);
      const off = host.subscribe((m) => m.event === 'exportProgress' && line.update(`exported ${m.data.documents}`));
      // The API checks each format and refuses an unknown one by name.
      const report = await host.handlers.exportDocuments({ out: resolve(out), formats: formats as ExportFormat[] }).finally(() => {
        off();
        line.done();
      });
      for (const s of report.skipped) ctx.io.err.write(`skipped: ${s.path} (${s.reason})\n`);
      ctx.io.out.write(`Exported ${report.documents} document${report.documents === 1 ? '' : 's'} (${report.files} files) to ${resolve(out)}.\n`);
      return report.skipped.length ? 1 : 0;
    },
  },
];
