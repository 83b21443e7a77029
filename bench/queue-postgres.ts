/**
 * Queue benchmark on PostgreSQL (the SQLite twin is bench/queue.ts).
 *
 *   npm run bench:queue:pg -- [--database-url postgres://...] [--jobs 1000000] [--cycles 20000] [--procs 1,4,8]
 *
 * Without --database-url it starts its own throwaway PostgreSQL server with fsync ON (what users
 * get); with it, it creates a scratch database on that server (needs CREATEDB) and drops it after.
 * Prints: enqueue rows/s up to --jobs jobs, stats() latency median/p95 at that size, and
 * claim+complete cycles/s with 1, 4 and 8 concurrent worker processes (one connection each),
 * checking that no job was claimed twice.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startPgServer, type PgServer } from '../scripts/pg-server';
import { defaultMigrationsDir } from '../src/core/paths';
import { loadMigrations } from '../src/core/store/migrations';
import { PgJobStore } from '../src/core/store/postgres/store';
import type { OcrResult } from '../src/shared/results';
import { queuePolicy } from '../src/core/queue/policy';

const migrations = loadMigrations(defaultMigrationsDir('postgres'));
const RESULT: OcrResult = {
  text: 'benchmark page text',
  pages: [{ pageNo: 1, text: 'benchmark page text', confidence: 90, source: 'ocr' }],
  confidence: 90,
  engine: 'bench',
  languages: 'eng',
  processingTimeMs: 1,
  contentHash: null,
};

interface ChildDone {
  ids: string[];
  cpuMs: number; // this worker process's own CPU time during the run
}

/**
 * CPU time (ms) used so far by each server process serving database `db`, by pid (Linux /proc;
 * null elsewhere). On a shared machine wall-clock rates depend on the neighbours; CPU per
 * cycle much less so.
 */
function serverCpuMs(db: string): Map<number, number> | null {
  if (!existsSync('/proc/self/stat')) return null;
  const tick = 10; // USER_HZ is 100 on Linux
  const out = new Map<number, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.startsWith('postgres:') || !cmd.includes(db)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(pid), (Number(fields[11]) + Number(fields[12])) * tick); // utime + stime
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** CPU used between two samples by processes alive at the second (autovacuum workers that came
 * and went in between are not counted). */
function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** Worker process: claim+complete `count` jobs (or until the queue is empty) once told to go. */
async function child(url: string, count: number, workerId: string, synchronousCommit: boolean): Promise<void> {
  const store = await PgJobStore.open({ url, migrations, poolSize: 1, synchronousCommit, policy: queuePolicy() });
  process.send!({ ready: true });
  await new Promise<void>((r) => process.once('message', () => r()));
  const cpu0 = process.cpuUsage();
  const ids: string[] = [];
  while (ids.length < count) {
    const j = await store.claim(workerId);
    if (!j) break;
    if (!(await store.complete(j.jobId, workerId, RESULT))) throw new Error(`lost job ${j.jobId}`);
    ids.push(j.jobId);
  }
  const cpu = process.cpuUsage(cpu0);
  const done: ChildDone = { ids, cpuMs: (cpu.user + cpu.system) / 1000 };
  process.send!(done);
  // Stay connected until told to exit, so the parent can read our server process's CPU time.
  await new Promise<void>((r) => process.once('message', () => r()));
  await store.close();
  process.exit(0);
}

interface CycleResult {
  perSec: number;
  done: number;
  dups: number;
  /** CPU ms per cycle: worker processes + their PostgreSQL backends (null without /proc). */
  cpuPerCycle: number | null;
}

async function cycles(url: string, procs: number, total: number, sync: boolean): Promise<CycleResult> {
  const db = new URL(url).pathname.slice(1);
  const kids = Array.from({ length: procs }, (_, i) =>
    fork(self, ['--child', url, String(Math.ceil(total / procs)), `bench-${procs}-${i}`, sync ? 'sync' : 'async'], {
      execArgv: ['--import', 'tsx'],
    }),
  );
  await Promise.all(kids.map((k) => new Promise<void>((r) => k.once('message', () => r()))));
  const results = kids.map((k) => new Promise<ChildDone>((r) => k.once('message', (m) => r(m as ChildDone))));
  const server0 = serverCpuMs(db);
  const t0 = performance.now();
  for (const k of kids) k.send('go');
  const done = await Promise.all(results);
  const secs = (performance.now() - t0) / 1000;
  const server1 = serverCpuMs(db);
  const exited = kids.map((k) => new Promise((r) => k.once('exit', r)));
  for (const k of kids) k.send('exit');
  await Promise.all(exited);
  const all = done.flatMap((d) => d.ids);
  const clientCpu = done.reduce((a, d) => a + d.cpuMs, 0);
  const cpuPerCycle = server0 === null || server1 === null ? null : (clientCpu + cpuDelta(server0, server1)) / all.length;
  return { perSec: all.length / secs, done: all.length, dups: all.length - new Set(all).size, cpuPerCycle };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Run the PostgreSQL benchmark with these arguments (bench/queue.ts delegates here on --database-url). */
export async function benchPostgres(args: string[] = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'database-url': { type: 'string' },
      jobs: { type: 'string', default: '1000000' },
      cycles: { type: 'string', default: '20000' },
      procs: { type: 'string', default: '1,4,8' },
      // Also measure with a WAL flush per commit (synchronous_commit=on), for this many cycles.
      'sync-cycles': { type: 'string', default: '2000' },
    },
    // bench/queue.ts may pass its own SQLite options along: ignore what is not ours.
    strict: false,
  });
  const str = (k: string) => String(values[k]);
  const jobs = Number(str('jobs'));
  const cycleCount = Number(str('cycles'));
  const procList = str('procs').split(',').map(Number);
  let server: PgServer | undefined;
  let adminUrl = typeof values['database-url'] === 'string' ? values['database-url'] : undefined;
  if (!adminUrl) {
    console.log('Starting a throwaway PostgreSQL server with fsync=on, synchronous_commit=on ...');
    server = await startPgServer({ fsync: true });
    adminUrl = server.url;
  }
  const dbName = `quire_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const url = u.toString();
  try {
    const settings = (await admin.query(`SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'server_version')`)).rows;
    console.log(`PostgreSQL ${settings.map((r) => `${r.name}=${r.setting}`).join(' ')}; database ${dbName}`);
    const store = await PgJobStore.open({ url, migrations, poolSize: 2, policy: queuePolicy() });

    // Enqueue, 1,000 files per batch (QUEUE_BATCH_SIZE's default).
    const batch = 1000;
    let t0 = performance.now();
    for (let i = 0; i < jobs; i += batch) {
      const files = [];
      for (let k = i; k < Math.min(jobs, i + batch); k++) {
        files.push({ path: `/bench/${Math.floor(k / 1000)}/${k}.png`, size: 1000 + (k % 7) * 1_500_000, mtimeMs: 1_700_000_000_000, kind: 'image/png' });
      }
      await store.enqueueBatch(files);
      if ((i / batch) % 100 === 99) process.stdout.write(`\r  enqueued ${i + batch}`);
    }
    const enqSecs = (performance.now() - t0) / 1000;
    process.stdout.write('\r');
    console.log(`enqueue: ${jobs} jobs in ${enqSecs.toFixed(1)} s = ${Math.round(jobs / enqSecs)} rows/s (batches of ${batch})`);
    await admin.end().catch(() => {});
    await store.pool.query('VACUUM ANALYZE ocr_queue');
    await store.pool.query('VACUUM ANALYZE documents');

    const lat: number[] = [];
    for (let i = 0; i < 200; i++) {
      t0 = performance.now();
      await store.stats();
      lat.push(performance.now() - t0);
    }
    lat.sort((a, b) => a - b);
    console.log(`stats() at ${jobs} jobs: median ${pct(lat, 50).toFixed(2)} ms, p95 ${pct(lat, 95).toFixed(2)} ms (200 calls)`);

    // The floor under every figure below: one trivial round trip on this machine right now.
    const rt0 = performance.now();
    const rtCpu0 = process.cpuUsage();
    for (let i = 0; i < 2000; i++) await store.pool.query('SELECT 1');
    const rtCpu = process.cpuUsage(rtCpu0);
    console.log(
      `round trip (SELECT 1): ${((performance.now() - rt0) / 2000).toFixed(3)} ms, client CPU ${((rtCpu.user + rtCpu.system) / 2000 / 1000).toFixed(3)} ms`,
    );
    console.log(`load average before the cycles: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (${availableParallelism()} cores)`);
    let claimedTotal = 0;
    const modes: [boolean, number, string][] = [
      [false, cycleCount, "synchronous_commit=off (Quire's default)"],
      [true, Number(str('sync-cycles')), 'synchronous_commit=on (a flush per commit)'],
    ];
    for (const [sync, count, label] of modes) {
      if (!count) continue;
      console.log(`claim+complete cycles, one connection per worker process, ${label}:`);
      for (const p of procList) {
        const r = await cycles(url, p, count, sync);
        claimedTotal += r.done;
        const cpu = r.cpuPerCycle === null ? '' : `, ${r.cpuPerCycle.toFixed(3)} CPU-ms/cycle`;
        console.log(`  ${p} process${p === 1 ? ' ' : 'es'}: ${Math.round(r.perSec)} cycles/s (${r.done} cycles${cpu}, duplicate claims: ${r.dups})`);
        if (r.dups) process.exitCode = 1;
      }
    }
    const s = await store.stats();
    const direct = (await store.pool.query(`SELECT count(*) AS n FROM ocr_queue WHERE status = 'completed'`)).rows[0].n;
    console.log(`check: completed by counters ${s.completed}, by COUNT(*) ${direct}, claimed by workers ${claimedTotal}`);
    if (s.completed !== claimedTotal || Number(direct) !== claimedTotal) process.exitCode = 1;
    await store.close();
  } finally {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await c.end();
    server?.stop();
  }
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] === self && process.argv[2] === '--child') {
  await child(process.argv[3]!, Number(process.argv[4]), process.argv[5]!, process.argv[6] === 'sync');
} else if (process.argv[1] === self) {
  await benchPostgres();
}
