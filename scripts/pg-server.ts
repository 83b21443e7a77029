/**
 * A throwaway PostgreSQL server for tests and benchmarks.
 *
 *   npx tsx scripts/pg-server.ts start [--fsync]   prints DATABASE_URL=... and PGDATA=...
 *   npx tsx scripts/pg-server.ts stop <PGDATA>     stops it and deletes its folder
 *
 * initdb and postgres refuse to run as root, so as root they run as the `postgres` user
 * (runuser). Data and socket live in one folder under the temp dir (absolute paths); the server
 * listens on 127.0.0.1 on a free port with trust authentication. Tests run with fsync off
 * (durability does not matter for a database thrown away after the run); benchmarks pass
 * `fsync: true` to measure what users get.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** QUIRE_PG_BIN, else Debian's PostgreSQL 15 (the tested version), else the newest installed. */
function findPgBin(): string {
  if (process.env.QUIRE_PG_BIN) return process.env.QUIRE_PG_BIN;
  const root = '/usr/lib/postgresql';
  if (existsSync(join(root, '15', 'bin', 'postgres'))) return join(root, '15', 'bin');
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  return join(root, versions[0] ?? '15', 'bin');
}

export const PG_BIN = findPgBin();

export interface PgServer {
  url: string; // postgres://postgres@127.0.0.1:<port>/postgres
  dataDir: string;
  port: number;
  stop(): void;
}

export function pgBinariesAvailable(): boolean {
  return existsSync(join(PG_BIN, 'postgres')) && existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'pg_ctl'));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

/** Run a PostgreSQL binary, as the postgres user when we are root. */
function pgRun(bin: string, args: string[]): void {
  const cmd = asRoot ? 'runuser' : join(PG_BIN, bin);
  const argv = asRoot ? ['-u', 'postgres', '--', join(PG_BIN, bin), ...args] : args;
  const r = spawnSync(cmd, argv, { encoding: 'utf8', cwd: tmpdir() });
  if (r.status !== 0) {
    throw new Error(`${bin} ${args.join(' ')} failed (exit ${r.status}): ${r.error?.message ?? ''}${r.stderr}${r.stdout}`);
  }
}

export interface StartOptions {
  fsync?: boolean;
}

export async function startPgServer(opts: StartOptions = {}): Promise<PgServer> {
  if (!pgBinariesAvailable()) {
    throw new Error(`PostgreSQL binaries not found in ${PG_BIN} (apt-get install -y postgresql, or set QUIRE_PG_BIN).`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'quire-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dataDir, uid, gid);
  }
  const pgdata = join(dataDir, 'data');
  pgRun('initdb', ['-D', pgdata, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  const durability = opts.fsync
    ? ['-c', 'fsync=on', '-c', 'synchronous_commit=on', '-c', 'full_page_writes=on']
    : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  // A port can be taken between probing and binding: try a few.
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const serverOpts = [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', `port=${port}`,
      '-c', `unix_socket_directories=${dataDir}`,
      '-c', 'max_connections=200',
      '-c', 'shared_buffers=256MB',
      ...durability,
    ].join(' ');
    try {
      pgRun('pg_ctl', ['start', '-w', '-t', '60', '-D', pgdata, '-l', join(dataDir, 'server.log'), '-o', serverOpts]);
    } catch (err) {
      if (attempt < 3) continue;
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    }
    const server: PgServer = {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      dataDir,
      port,
      stop: () => stopPgServer(dataDir),
    };
    writeFileSync(join(dataDir, 'url'), server.url);
    writeFileSync(join(dataDir, 'server-opts'), serverOpts);
    return server;
  }
}

/** Take the server down abruptly (like a crash or a lost network) but keep its data: see resumePgServer. */
export function haltPgServer(dataDir: string): void {
  pgRun('pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', join(dataDir, 'data')]);
}

/** Start a halted server again, on the same port with the same settings. */
export function resumePgServer(dataDir: string): void {
  const serverOpts = readFileSync(join(dataDir, 'server-opts'), 'utf8');
  pgRun('pg_ctl', ['start', '-w', '-t', '60', '-D', join(dataDir, 'data'), '-l', join(dataDir, 'server.log'), '-o', serverOpts]);
}

export function stopPgServer(dataDir: string): void {
  const pgdata = join(dataDir, 'data');
  if (existsSync(join(pgdata, 'postmaster.pid'))) {
    try {
      pgRun('pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', pgdata]);
    } catch {
      // Already gone: nothing to stop.
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
}

async function cli(argv: string[]): Promise<void> {
  const [cmd, arg] = argv;
  if (cmd === 'start') {
    const s = await startPgServer({ fsync: argv.includes('--fsync') });
    console.log(`DATABASE_URL=${s.url}`);
    console.log(`PGDATA=${s.dataDir}`);
  } else if (cmd === 'stop' && arg) {
    stopPgServer(arg);
  } else {
    console.error('Usage: tsx scripts/pg-server.ts start [--fsync] | stop <PGDATA>');
    process.exitCode = 2;
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  await cli(process.argv.slice(2));
}
