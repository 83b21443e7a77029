/**
 * `quire` entry: global options, command dispatch, and the rule that a user sees a one-line
 * message and a non-zero exit code, never a stack trace (unless --verbose). Each command gets one
 * host (opened on first use, closed here) and speaks to it through the API.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { QuireError } from '../shared/errors';
import { readEnvironment, resolveDatabaseUrl, resolveDataDir } from '../core/config/environment';
import type { Host, HostOptions } from '../core/host';
import type { EventMessage } from '../shared/events';
import { createLogger } from '../core/logger';
import { DB_FILE } from '../core/paths';
import type { Command, HostParts } from './command';
import { COMMANDS } from './commands';
import type { Io } from './output';

const GLOBAL_OPTIONS = {
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** What a test (or another embedding) injects into every host this CLI opens: worker entry, engine, timings. */
export type HostInjection = Partial<Pick<HostOptions, 'workerEntry' | 'engine' | 'spawner' | 'backoffBaseMs' | 'staleIntervalMs' | 'tuning'>>;

export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'quire: turn folders of scans into searchable text, offline.',
    '',
    'Usage: quire <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    '  --data-dir <dir>  Where the queue database lives (env QUIRE_DATA_DIR; default: the per-user Quire app-data folder).',
    '  --database-url <postgres://...>  Keep the queue in PostgreSQL instead (env DATABASE_URL, when it is a postgres:// URL).',
    '  --verbose         Show error details (stack traces) and log what the pool does (JSON lines).',
    '  --help            Show help; `quire <command> --help` shows a command\'s usage.',
    '',
  ].join('\n');
}

/**
 * node:util parseArgs's errors say what is wrong in its own words ("To specify a positional
 * argument starting with a '-', place it at the end of the command after '--'..."). A user gets
 * one sentence about their command instead.
 */
export function parseErrorMessage(err: unknown, command: Command): string {
  const e = err as { code?: string; message?: string };
  const named = /(--[\w-]+)/.exec(e.message ?? '')?.[1] ?? /'(-\w)/.exec(e.message ?? '')?.[1];
  const known = Object.entries(command.options ?? {}).map(([k, o]) => `--${k}${o.type === 'string' ? ' <value>' : ''}`);
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const list = known.length ? `its options are ${known.join(', ')}` : 'it takes no options of its own';
    return `there is no option ${named ?? ''}; ${list} (quire ${command.name} --help).`;
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const takes = named && (command.options?.[named.replace(/^-+/, '')]?.type === 'string' || named === '--data-dir' || named === '--database-url');
    return takes ? `${named} needs a value, as in ${named} <value>.` : `${named ?? 'That option'} takes no value.`;
  }
  return e.message ?? String(err);
}

function isFile(path: string): boolean {
  try {
    return !statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function commandHelp(c: Command): string {
  return `Usage: ${c.usage}\n\n${c.summary}\n${c.details ? `\n${c.details}\n` : ''}${c.help ? `\nOptions:\n${c.help}\n` : ''}`;
}

/**
 * `quire failures | head`: once the reader of stdout is gone, writing fails with EPIPE. That is
 * the reader's choice, not an error: exit at once, quietly, like other Unix tools (status 0 for
 * the part that was read; a host's worker processes end when their parent does and their jobs go
 * back to the queue on the next start). Other write errors are reported as usual.
 */
export function exitQuietlyWhenOutputCloses(stream: NodeJS.WriteStream = process.stdout, exit: (code: number) => void = process.exit): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') exit(0);
    else throw err;
  });
}

export async function main(
  argv: string[],
  io: Io = { out: process.stdout, err: process.stderr },
  env: NodeJS.ProcessEnv = process.env,
  inject: HostInjection = {},
): Promise<number> {
  const verbose = argv.includes('--verbose');
  let host: Host | undefined;
  try {
    // The command is the first bare word that is not the value of a global option
    // (`quire --database-url postgres://... stats`).
    const takesValue = new Set(['--data-dir', '--database-url']);
    const nameAt = argv.findIndex((a, i) => !a.startsWith('-') && !takesValue.has(argv[i - 1] ?? ''));
    const name = nameAt === -1 ? undefined : argv[nameAt];
    const command = COMMANDS.find((c) => c.name === name);
    if (!name || name === 'help') {
      if (argv.includes('--version')) {
        io.out.write('quire 0.1.0\n');
        return EXIT_OK;
      }
      io.out.write(helpText());
      return name || argv.includes('--help') || argv.includes('-h') ? EXIT_OK : EXIT_USAGE;
    }
    if (!command) {
      io.err.write(`quire: unknown command "${name}". Run quire --help for the list.\n`);
      return EXIT_USAGE;
    }
    const rest = argv.filter((_, i) => i !== nameAt);
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...(command.options ?? {}) }, allowPositionals: true, strict: true });
    } catch (err) {
      io.err.write(`quire ${command.name}: ${parseErrorMessage(err, command)}\nUsage: ${command.usage}\n`);
      return EXIT_USAGE;
    }
    if (parsed.values.help) {
      io.out.write(commandHelp(command));
      return EXIT_OK;
    }
    const environment = readEnvironment(env);
    const flags = parsed.values as Record<string, string | boolean | string[] | undefined>;
    const dataDir = resolveDataDir(flags['data-dir'] as string | undefined, environment);
    const databaseUrl = resolveDatabaseUrl(flags['database-url'] as string | undefined, environment);
    // --verbose: the core's log (worker starts and exits, retries, storage faults) as JSON lines.
    const logger = verbose ? createLogger({ level: 'info', sink: (l) => io.err.write(JSON.stringify(l) + '\n') }) : undefined;
    const open = async (parts: HostParts = {}): Promise<Host> => {
      if (host) throw new Error(`quire ${command.name} opened its host twice`);
      if (!databaseUrl && !command.createsQueue?.(parsed.positionals, flags) && !isFile(dataDir) && !existsSync(join(dataDir, DB_FILE))) {
        throw new QuireError(
          'no_queue',
          `There is no Quire queue in ${dataDir} (no ${DB_FILE} there). Check --data-dir or QUIRE_DATA_DIR; a queue is made when files are first added (quire run, quire ingest, quire watch add) or by quire worker or quire serve.`,
        );
      }
      const { openHost } = await import('../core/host');
      // While the host opens (before a command subscribes), a wait for the queue database's lock is said here.
      let opening = true;
      const listener = (m: EventMessage) => {
        if (opening && m.event === 'storageStatus') io.err.write(`${m.data.message}\n`);
        parts.listener?.(m);
      };
      host = await openHost({ dataDir, databaseUrl, env, logger, ...inject, ...parts, listener }).finally(() => (opening = false));
      await host.quire.config(); // a bad setting or environment variable is reported before anything runs
      return host;
    };
    return await command.run({ open, args: parsed.positionals, flags, io, dataDir });
  } catch (err) {
    if (err instanceof QuireError) {
      io.err.write(`quire: ${err.message}\n`);
      if (verbose && err.cause) io.err.write(String((err.cause as Error).stack ?? err.cause) + '\n');
      return err.code === 'usage' || err.code === 'invalid_argument' ? EXIT_USAGE : EXIT_FAILURE;
    }
    io.err.write(`quire: unexpected error: ${(err as Error).message}\n`);
    if (verbose) io.err.write(String((err as Error).stack) + '\n');
    else io.err.write('Run again with --verbose for details.\n');
    return EXIT_FAILURE;
  } finally {
    await host?.close().catch(() => {});
  }
}
