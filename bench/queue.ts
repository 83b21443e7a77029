/**
 * Queue benchmark (SQLite): enqueue rate into a large queue, claim+complete cycles/s with 1 and 4
 * processes, stats() latency, and ingest of a large tree against `find`.
 *
 *   npm run bench:queue -- [--jobs 1000000] [--files 100000] [--seconds 5] [--dir /tmp/quire-bench]
 *                          [--synchronous full|normal]   (QUIRE_SQLITE_SYNCHRONOUS; default full)
 *   npm run bench:queue -- --database-url postgres://... [--jobs ..] [--cycles ..] [--procs 1,4,8]
 *     (PostgreSQL: bench/queue-postgres.ts, which takes its own options)
 */
import { execFile, execSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { ingest } from '../src/core/ingest/ingest';
import { defaultMigrationsDir, packageRoot } from '../src/core/paths';
import { loadMigrations } from '../src/core/store/migrations';
import { SqliteJobStore } from '../src/core/store/sqlite/store';
import { benchPostgres } from './queue-postgres';
import { queuePolicy } from '../src/core/queue/policy';

const run = promisify(execFile);

// PostgreSQL has its own benchmark with its own options: hand every argument over before this
// file's parser would refuse them.
if (process.argv.slice(2).some((a) => a === '--database-url' || a.startsWith('--database-url='))) {
  await benchPostgres(process.argv.slice(2));
  process.exit(process.exitCode ?? 0);
}

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '1000000' },
    files: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '5' },
    dir: { type: 'string', default: '/tmp/quire-bench' },
    synchronous: { type: 'string', default: 'full' },
  },
  allowPositionals: true,
});

const JOBS = Number(values.jobs);
const FILES = Number(values.files);
const SECONDS = Number(values.seconds);
const SYNCHRONOUS = values.synchronous === 'normal' ? 'normal' : 'full';
if (values.synchronous !== SYNCHRONOUS) throw new Error('--synchronous must be full or normal');
const dir = values.dir!;
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const migrationsDir = defaultMigrationsDir('sqlite');
const migrations = loadMigrations(migrationsDir);
const dbPath = join(dir, 'bench.db');

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

console.log(`Quire queue benchmark (SQLite) on ${dbPath}`);
console.log(`node ${process.version}, ${JOBS.toLocaleString('en-US')} jobs, ${FILES.toLocaleString('en-US')} files, synchronous=${SYNCHRONOUS}\n`);

// 1. Enqueue.
const store = new SqliteJobStore({ path: dbPath, migrations, synchronous: SYNCHRONOUS, policy: queuePolicy() });
const BATCH = 1000;
// Paths arrive as ingest produces them: folder by folder (a scanner writes 1,000 pages a box).
// Sizes are spread over every priority.
let t0 = performance.now();
const cpu0 = process.cpuUsage();
for (let i = 0; i < JOBS; i += BATCH) {
  const files = [];
  for (let j = i; j < Math.min(JOBS, i + BATCH); j++) {
    const box = String(Math.floor(j / 1000)).padStart(5, '0');
    files.push({ path: `/archive/box-${box}/scan-${String(j).padStart(7, '0')}.tif`, size: (j * 7919) % 60_000_000, mtimeMs: 1_700_000_000_000, kind: 'image/tiff' });
  }
  store.enqueueBatchSync(files);
}
let secs = (performance.now() - t0) / 1000;
const cpuSecs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
console.log(
  `enqueue: ${fmt(JOBS / secs)} rows/s wall, ${fmt(JOBS / cpuSecs(process.cpuUsage(cpu0)))} rows per CPU-second ` +
    `(${JOBS.toLocaleString('en-US')} documents + jobs in ${secs.toFixed(1)} s, batches of ${BATCH}) [target >= 100,000]`,
);

// 2. stats() latency at full size.
const lat: number[] = [];
for (let i = 0; i < 2000; i++) {
  const a = performance.now();
  store.statsSync();
  lat.push(performance.now() - a);
}
lat.sort((a, b) => a - b);
console.log(`stats(): median ${pct(lat, 50).toFixed(3)} ms, p95 ${pct(lat, 95).toFixed(3)} ms over 2,000 calls [target p95 <= 1 ms]`);
await store.close();

// 3. claim + complete cycles with 1 and 4 processes.
async function cycles(processes: number): Promise<{ perSec: number; perCpuSec: number; total: number; dupes: number }> {
  const startAt = Date.now() + 1500;
  const script = join(packageRoot(), 'bench/cycle-worker.ts');
  const outs = await Promise.all(
    Array.from({ length: processes }, (_, w) =>
      run(process.execPath, ['--import', 'tsx', script, dbPath, migrationsDir, `bench-${processes}-${w}`, String(startAt), String(SECONDS), SYNCHRONOUS], {
        maxBuffer: 256 * 1024 * 1024,
      }),
    ),
  );
  const parsed = outs.map((o) => JSON.parse(o.stdout) as { ids: string[]; cpuSeconds: number });
  const ids = parsed.flatMap((p) => p.ids);
  const cpu = parsed.reduce((a, p) => a + p.cpuSeconds, 0);
  return { perSec: ids.length / SECONDS, perCpuSec: ids.length / cpu, total: ids.length, dupes: ids.length - new Set(ids).size };
}
for (const p of [1, 4]) {
  const r = await cycles(p);
  console.log(
    `claim+complete, ${p} process${p > 1 ? 'es' : ''}: ${fmt(r.perSec)} cycles/s wall, ${fmt(r.perCpuSec)} per CPU-second ` +
      `(${fmt(r.total)} in ${SECONDS} s, duplicate claims: ${r.dupes}) [target >= 10,000]`,
  );
}
const after = new SqliteJobStore({ path: dbPath, migrations, synchronous: SYNCHRONOUS, policy: queuePolicy() });
lat.length = 0;
for (let i = 0; i < 2000; i++) {
  const a = performance.now();
  after.statsSync();
  lat.push(performance.now() - a);
}
lat.sort((a, b) => a - b);
console.log(`stats() after the cycles: median ${pct(lat, 50).toFixed(3)} ms, p95 ${pct(lat, 95).toFixed(3)} ms`);
await after.close();

// 4. Ingest of a large tree of empty files, next to find.
if (FILES > 0) {
  const tree = join(dir, 'tree');
  const perDir = 1000;
  for (let d = 0; d * perDir < FILES; d++) {
    const sub = join(tree, `folder-${d}`);
    mkdirSync(sub, { recursive: true });
    for (let i = 0; i < perDir && d * perDir + i < FILES; i++) writeFileSync(join(sub, `page-${i}.png`), '');
  }
  execSync(`find ${JSON.stringify(tree)} -type f | wc -l`); // warm the dentry cache for both
  t0 = performance.now();
  const count = execSync(`find ${JSON.stringify(tree)} -type f | wc -l`).toString().trim();
  const findSecs = (performance.now() - t0) / 1000;
  const istore = new SqliteJobStore({ path: join(dir, 'ingest.db'), migrations, policy: queuePolicy() });
  t0 = performance.now();
  const report = await ingest(istore, [tree], { batchSize: 1000, maxConcurrentIo: 50 });
  secs = (performance.now() - t0) / 1000;
  // The same walk without the database, to show where the time goes.
  const { walk } = await import('../src/core/ingest/walk');
  t0 = performance.now();
  let walked = 0;
  await walk([tree], 50, { file: () => walked++, unsupported() {}, unreadable() {}, ignored() {} });
  const walkSecs = (performance.now() - t0) / 1000;
  await istore.close();
  console.log(
    `ingest of ${fmt(report.enqueued)} files: ${secs.toFixed(2)} s; find | wc -l (${count}): ${findSecs.toFixed(2)} s; ratio ${(secs / findSecs).toFixed(1)}x [target <= 5x]` +
      `\n  of which the walk and stat of ${fmt(walked)} files alone: ${walkSecs.toFixed(2)} s (${(walkSecs / findSecs).toFixed(1)}x find)`,
  );
}
rmSync(dir, { recursive: true, force: true });
