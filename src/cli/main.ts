/**
 * `quire` entry: global options, command dispatch, and the rule that a user sees a one-line
 * message and a non-zero exit code, never a stack trace (unless --verbose).
 */
import { parseArgs } from 'node:util';
import { createQuire, type Quire } from '../core/app';
import { createLogger } from '../core/logger';
import { QuireError } from '../shared/errors';
import { resolveDataDir } from '../core/paths';
import { resolveDatabaseUrl } from '../core/store';
import { COMMANDS, type Command } from './commands';
import type { Io } from './output';
import { runRepair } from './repair';

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

export async function main(argv: string[], io: Io = { out: process.stdout, err: process.stderr }, env = process.env): Promise<number> {
  const verbose = argv.includes('--verbose');
  let quire: Quire | undefined;
  try {
    // The command is the first bare word that is not the value of a global option
    // (`quire --database-url postgres://... stats`).
    const takesValue = new Set(['--data-dir', '--database-url']);
    const nameAt = argv.findIndex((a, i) => !a.startsWith('-') && !takesValue.has(argv[i - 1] ?? ''));
    const name = nameAt === -1 ? undefined : argv[nameAt];
    const command: Command | undefined = COMMANDS.find((c) => c.name === name);
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
      parsed = parseArgs({
        args: rest,
        options: { ...GLOBAL_OPTIONS, ...(command.options ?? {}) },
        allowPositionals: true,
        strict: true,
      });
    } catch (err) {
      io.err.write(`quire ${command.name}: ${(err as Error).message}\nUsage: ${command.usage}\n`);
      return EXIT_USAGE;
    }
    if (parsed.values.help) {
      io.out.write(`Usage: ${command.usage}\n\n${command.summary}\n`);
      return EXIT_OK;
    }
    if (command.name === 'repair') {
      // Before createQuire: the store refuses to open a damaged database, which is what repair is for.
      return runRepair(resolveDataDir(parsed.values['data-dir'] as string | undefined, env), (parsed.values as Record<string, unknown>)['move-aside'] === true, io);
    }
    quire = createQuire({
      dataDir: resolveDataDir(parsed.values['data-dir'] as string | undefined, env),
      databaseUrl: resolveDatabaseUrl(parsed.values['database-url'] as string | undefined, env),
      env,
      // --verbose: the core's log (worker starts and exits, retries, storage faults) as JSON lines.
      ...(verbose ? { logger: createLogger({ level: 'info', sink: (l) => io.err.write(JSON.stringify(l) + '\n') }) } : {}),
    });
    await quire.config(); // a bad setting or environment variable is reported before anything runs
    return await command.run({ quire, args: parsed.positionals, flags: parsed.values, io });
  } catch (err) {
    if (err instanceof QuireError) {
      io.err.write(`quire: ${err.message}\n`);
      if (verbose && err.cause) io.err.write(String((err.cause as Error).stack ?? err.cause) + '\n');
      return err.code === 'usage' ? EXIT_USAGE : EXIT_FAILURE;
    }
    io.err.write(`quire: unexpected error: ${(err as Error).message}\n`);
    if (verbose) io.err.write(String((err as Error).stack) + '\n');
    else io.err.write('Run again with --verbose for details.\n');
    return EXIT_FAILURE;
  } finally {
    await quire?.close().catch(() => {});
  }
}
