/** Shared set-up for pool tests: a real SQLite store, real worker processes, the scripted fake engine. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { isPidAlive } from '../../src/core/pool/host-id';
import { testForkSpawner } from '../support/test-spawner';
import type { Spawner } from '../../src/core/pool/spawner';
import type { PoolOptions } from '../../src/core/pool/options';
import { WorkerPool } from '../../src/core/pool/supervisor';
import { loadMigrations } from '../../src/core/store/migrations';
import { SqliteJobStore } from '../../src/core/store/sqlite/store';
import { MIGRATIONS_SQLITE, REPO_ROOT } from '../helpers';
import { queuePolicy } from '../../src/core/queue/policy';

/** The test worker entry: the real worker loop with the real engines plus the scripted one. */
export const WORKER_ENTRY = join(REPO_ROOT, 'test', 'support', 'test-worker.ts');

export function openStore(dir: string, backoffBaseMs = 20): SqliteJobStore {
  return new SqliteJobStore({ path: join(dir, 'quire.db'), migrations: loadMigrations(MIGRATIONS_SQLITE), policy: queuePolicy({ backoffBaseMs }) });
}

/** Write scripted files (see fake-engine.ts) and enqueue them. Returns their paths. */
export async function enqueueScripts(store: SqliteJobStore, dir: string, scripts: Record<string, string>): Promise<string[]> {
  const paths = Object.entries(scripts).map(([name, body]) => {
    const p = join(dir, name);
    // The name line keeps every file's content (and so its hash) unique.
    writeFileSync(p, `name ${name}\n${body}\n`);
    return p;
  });
  await store.enqueueBatch(paths.map((path) => ({ path, size: 100, mtimeMs: Date.now(), kind: 'image/png' })));
  return paths;
}

/** A spawner that remembers every process it started, to prove none is left behind. */
export function recordingSpawner(): Spawner & { pids: number[] } {
  const inner = testForkSpawner({ stdio: 'ignore' });
  const pids: number[] = [];
  return {
    pids,
    spawn(entry, opts) {
      const h = inner.spawn(entry, opts);
      if (h.pid !== undefined) pids.push(h.pid);
      return h;
    },
  };
}

const running: { pool: WorkerPool; spawner: { pids: number[] } }[] = [];

export function makePool(store: SqliteJobStore, over: Partial<PoolOptions> = {}) {
  const spawner = recordingSpawner();
  const pool = new WorkerPool({
    store,
    spawner,
    workerEntry: WORKER_ENTRY,
    engine: 'scripted',
    engineOptions: { languages: 'eng', langPath: '', keepExistingText: true },
    concurrency: 2,
    timeoutMs: 30_000,
    leaseMs: 60_000,
    idlePollMs: 50,
    killGraceMs: 500,
    ...over,
  });
  running.push({ pool, spawner });
  return { pool, spawner };
}

// Every test ends with its pool stopped and every process it started gone.
afterEach(async () => {
  for (const { pool, spawner } of running.splice(0)) {
    await pool.stop(0);
    expect(spawner.pids.filter(isPidAlive)).toEqual([]);
  }
});

export async function waitUntil(pred: () => boolean | Promise<boolean>, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function drained(store: SqliteJobStore): Promise<boolean> {
  const s = await store.stats();
  return s.pending + s.processing === 0;
}

export function jobsOf(store: SqliteJobStore) {
  return store.db
    .prepare<[], { path: string; status: string; attempts: number; error_kind: string | null }>(
      'SELECT d.path, q.status, q.attempts, q.error_kind FROM ocr_queue q JOIN documents d ON d.id = q.document_id ORDER BY d.path',
    )
    .all();
}
