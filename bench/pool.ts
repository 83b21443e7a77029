/**
 * Pool overhead with the test-only fake engine (no OCR): worker start time (spawn to ready,
 * through tsx) and jobs per second through the whole path (claim, hash, IPC, complete).
 * Prints figures; asserts nothing. Usage: npm run bench:pool [-- jobs]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testForkSpawner } from '../test/support/test-spawner';
import { WorkerPool } from '../src/core/pool/supervisor';
import { loadMigrations } from '../src/core/store/migrations';
import { SqliteJobStore } from '../src/core/store/sqlite/store';
import { defaultMigrationsDir } from '../src/core/paths';
import { queuePolicy } from '../src/core/queue/policy';

const JOBS = Number(process.argv[2] ?? 400);
const dir = mkdtempSync(join(tmpdir(), 'quire-bench-pool-'));
const store = new SqliteJobStore({ path: join(dir, 'q.db'), migrations: loadMigrations(defaultMigrationsDir('sqlite')), policy: queuePolicy() });
const files = [];
for (let i = 0; i < JOBS; i++) {
  const path = join(dir, `f${i}.png`);
  writeFileSync(path, `name ${i}\npages 2\n`);
  files.push({ path, size: 20, mtimeMs: 1, kind: 'image/png' });
}
await store.enqueueBatch(files);

for (const concurrency of [1, 2]) {
  const spawned = new Map<string, number>();
  const startTimes: number[] = [];
  const pool = new WorkerPool({
    store,
    spawner: testForkSpawner({ stdio: 'inherit' }),
    // The scripted test engine through the test worker entry: this measures the pool, not OCR.
    workerEntry: join(import.meta.dirname, '..', 'test', 'support', 'test-worker.ts'),
    engine: 'scripted',
    engineOptions: { languages: 'eng', langPath: '', keepExistingText: true },
    concurrency,
    timeoutMs: 60_000,
    leaseMs: 60_000,
    idlePollMs: 50,
  });
  pool.on('stats', () => {});
  const t0 = performance.now();
  pool.on('worker-idle', (e) => {
    if (!spawned.has(e.workerId)) {
      spawned.set(e.workerId, performance.now());
      startTimes.push(performance.now() - t0);
    }
  });
  const half = Math.floor(JOBS / 2);
  let done = 0;
  const finished = new Promise<void>((resolve) =>
    pool.on('job-completed', () => {
      if (++done === half) resolve();
    }),
  );
  await pool.start();
  await finished;
  const secs = (performance.now() - t0) / 1000;
  await pool.stop(5000);
  console.log(
    `concurrency ${concurrency}: ${half} jobs in ${secs.toFixed(2)} s = ${(half / secs).toFixed(0)} jobs/s (incl. start); ` +
      `workers ready after ${startTimes.map((t) => `${Math.round(t)} ms`).join(', ')}`,
  );
}
await store.close();
rmSync(dir, { recursive: true, force: true });
