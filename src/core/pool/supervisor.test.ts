/**
 * The supervisor's rules, in milliseconds: real worker loops run in memory (the in-memory spawner
 * over a paired channel) with the scripted engine, against a real SQLite store. The same rules run
 * through forked processes in test/pool/pool.test.ts (the process tier).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers';
import { createMemorySpawner, type MemoryProcess, memoryWorker } from '../../../test/support/memory-spawner';
import { createScriptedEngine } from '../../../test/support/scripted-engine';
import { MIGRATIONS_SQLITE } from '../../../test/helpers';
import { queuePolicy } from '../queue/policy';
import { StorageError } from '../store/errors';
import { loadMigrations } from '../store/migrations';
import { SqliteJobStore } from '../store/sqlite/store';
import type { QueueStore } from '../store/types';
import type { PoolOptions } from './options';
import { WorkerPool } from './supervisor';

const MB = 1024 * 1024;

/** The scripted engine's process hooks acted out on a stand-in process. */
function memoryHooks(proc: MemoryProcess) {
  return {
    crash: () => proc.crash(),
    spin: () => {
      proc.ignoreSigterm = true;
      return new Promise<never>(() => {});
    },
    grow: () => {
      const t = setInterval(() => (proc.dead ? clearInterval(t) : (proc.rss += 64 * MB)), 5);
      return new Promise<never>(() => {});
    },
    // In memory there is no watchdog thread: a bomb acts as the stand-in process dying by the watchdog's signal.
    bomb: () => {
      proc.crash('SIGUSR2');
      return new Promise<never>(() => {});
    },
  };
}

function setUp(over: Partial<PoolOptions> = {}, store?: QueueStore) {
  const dir = tempDir('quire-supervisor-');
  const db = new SqliteJobStore({ path: join(dir, 'quire.db'), migrations: loadMigrations(MIGRATIONS_SQLITE), policy: queuePolicy({ backoffBaseMs: 5 }) });
  const spawner = createMemorySpawner(
    memoryWorker(async (name, proc) => {
      if (name !== 'scripted') throw new Error(`no engine called ${name}`);
      return createScriptedEngine(memoryHooks(proc));
    }),
  );
  const pool = new WorkerPool({
    store: store ?? db,
    spawner,
    workerEntry: 'memory',
    engine: 'scripted',
    engineOptions: { languages: 'eng', langPath: '', keepExistingText: false },
    concurrency: 2,
    timeoutMs: 10_000,
    leaseMs: 60_000,
    idlePollMs: 10,
    killGraceMs: 50,
    storageRetryMs: 10,
    ...over,
  });
  running.push(pool);
  const enqueue = async (scripts: Record<string, string>) => {
    const paths = Object.entries(scripts).map(([name, body]) => {
      const p = join(dir, name);
      writeFileSync(p, `name ${name}\n${body}\n`);
      return p;
    });
    await db.enqueueBatch(paths.map((path) => ({ path, size: 100, mtimeMs: 1, kind: 'image/png' })));
    return paths;
  };
  const jobs = () =>
    db.db
      .prepare<[], { name: string; status: string; attempts: number; error_kind: string | null }>(
        "SELECT replace(d.path, rtrim(d.path, replace(d.path, '/', '')), '') AS name, q.status, q.attempts, q.error_kind FROM ocr_queue q JOIN documents d ON d.id = q.document_id ORDER BY d.path",
      )
      .all()
      .map((r) => [r.name, r.status, r.attempts, r.error_kind]);
  const drained = async () => {
    const s = await db.stats();
    return s.pending + s.processing === 0;
  };
  return { db, pool, spawner, enqueue, jobs, drained, dir };
}

const running: WorkerPool[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop(0);
});

async function until(pred: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('the pool supervisor (in memory)', () => {
  it('runs a batch, records pages, and reuses the result of an identical file without OCR', async () => {
    const { pool, enqueue, jobs, drained, db } = setUp();
    const [a] = await enqueue({ 'a.png': 'pages 3\ntext alpha', 'b.png': 'pages 1\ntext beta' });
    writeFileSync(a!.replace('a.png', 'copy.png'), `name a.png\npages 3\ntext alpha\n`);
    await db.enqueueBatch([{ path: a!.replace('a.png', 'copy.png'), size: 100, mtimeMs: 1, kind: 'image/png' }]);
    const done: { path: string; reused: boolean; pages: number }[] = [];
    pool.on('job-completed', (e) => done.push({ path: e.path, reused: e.reused, pages: e.pages }));
    await pool.start();
    await until(drained, 'the batch');
    expect(jobs()).toEqual([
      ['a.png', 'completed', 1, null],
      ['b.png', 'completed', 1, null],
      ['copy.png', 'completed', 1, null],
    ]);
    const doc = (await db.getDocumentByPath(a!))!;
    expect(doc.text).toBe('alpha\falpha\falpha');
    // The hash recorded is of exactly the bytes the worker read and decoded.
    expect(doc.contentHash).toBe(createHash('sha256').update(readFileSync(a!)).digest('hex'));
    expect(done.filter((d) => d.reused)).toHaveLength(1);
    expect(pool.stats()).toMatchObject({ jobsCompleted: 3, jobsReused: 1, pagesDone: 7 });
  });

  it('kills a hanging job at the timeout, replaces the process, and retries the job', async () => {
    const { pool, enqueue, jobs, drained, spawner } = setUp({ timeoutMs: 1000 });
    await enqueue({ 'h.png': 'hang 1' });
    await pool.start();
    await until(drained, 'the retry');
    expect(jobs()).toEqual([['h.png', 'completed', 2, null]]);
    expect(spawner.processes.length).toBe(3); // two at start, one replacement
    expect(pool.stats().restarts).toBe(1);
  });

  it('the timeout is a budget per page: a document longer than the limit completes, a page that hangs is stopped', async () => {
    // 6 pages of 300 ms: 1.8 s for the document against a 1 s limit, which each page keeps within.
    const { pool, enqueue, jobs, drained } = setUp({ timeoutMs: 1000, concurrency: 1 });
    await enqueue({ 'long.pdf': 'pages 6\ndelay 300', 'stuck.pdf': 'pages 3\nhang' });
    const failed: { path: string; kind: string; message: string }[] = [];
    pool.on('job-failed', (e) => failed.push(e));
    await pool.start();
    await until(drained, 'both documents to end');
    expect(jobs()).toEqual([
      ['long.pdf', 'completed', 1, null],
      ['stuck.pdf', 'failed', 3, 'timeout'],
    ]);
    expect(failed).toHaveLength(3);
    for (const f of failed) expect(f).toMatchObject({ path: expect.stringMatching(/stuck\.pdf$/), kind: 'timeout', message: expect.stringMatching(/^A page took longer than 1 s/) });
  });

  it('a worker deaf to SIGTERM is ended by SIGKILL after the grace period, and its job retried', async () => {
    const { pool, enqueue, jobs, drained, spawner } = setUp({ timeoutMs: 1000, concurrency: 1 });
    await enqueue({ 's.png': 'spin 1' });
    await pool.start();
    await until(drained, 'the retry');
    expect(jobs()).toEqual([['s.png', 'completed', 2, null]]);
    expect(spawner.processes[0]!.dead).toBe(true);
  });

  it('retries a job whose worker crashed; a poison file fails after max attempts while the pool keeps its size', async () => {
    const { pool, enqueue, jobs, drained } = setUp();
    await enqueue({ 'once.png': 'crash 1', 'poison.png': 'crash', 'fine.png': 'text ok' });
    const failed: string[] = [];
    pool.on('job-failed', (e) => failed.push(`${e.kind}:${e.outcome}`));
    await pool.start();
    await until(drained, 'the batch');
    expect(jobs()).toEqual([
      ['fine.png', 'completed', 1, null],
      ['once.png', 'completed', 2, null],
      ['poison.png', 'failed', 3, 'worker_crashed'],
    ]);
    expect(failed.filter((f) => f === 'worker_crashed:failed')).toHaveLength(1);
    await until(() => pool.stats().workers === 2, 'the pool back at its size');
  });

  it('fails permanent errors at once with their kind, and a missing file as file_missing', async () => {
    const { pool, enqueue, jobs, drained, db, dir } = setUp();
    await enqueue({ 'bad.png': 'fail corrupt_file' });
    await db.enqueueBatch([{ path: join(dir, 'gone.png'), size: 1, mtimeMs: 1, kind: 'image/png' }]);
    await pool.start();
    await until(drained, 'the batch');
    expect(jobs()).toEqual([
      ['bad.png', 'failed', 1, 'corrupt_file'],
      ['gone.png', 'failed', 1, 'file_missing'],
    ]);
  });

  it('shuts down gracefully: a job finishing within the grace completes, one that does not goes back without counting', async () => {
    const { pool, enqueue, jobs } = setUp();
    await enqueue({ 'quick.png': 'delay 30', 'slow.png': 'hang' });
    await pool.start();
    await until(() => pool.stats().busy === 2, 'both running');
    await pool.stop(200);
    expect(jobs()).toEqual([
      ['quick.png', 'completed', 1, null],
      ['slow.png', 'pending', 0, null],
    ]);
    expect(pool.stats().workers).toBe(0);
  });

  it('grows and shrinks at run time without losing a job; shrinking lets running jobs finish', async () => {
    const { pool, enqueue, jobs, drained } = setUp({ concurrency: 1 });
    await enqueue(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`r${String(i).padStart(2, '0')}.png`, 'delay 20'])));
    await pool.start();
    await until(() => pool.stats().jobsCompleted >= 1, 'a first job');
    pool.resize(2);
    await until(() => pool.stats().busy === 2, 'two busy workers');
    pool.resize(1);
    expect(pool.stats().busy).toBe(2);
    await until(drained, 'the batch');
    expect(jobs().every(([, status, attempts]) => status === 'completed' && attempts === 1)).toBe(true);
    await until(() => pool.stats().workers === 1, 'one worker');
  });

  it('recycles a worker after its job limit, and one whose memory passed the recycle limit', async () => {
    const { pool, enqueue, drained, spawner } = setUp({ concurrency: 1, recycleAfterJobs: 2 });
    await enqueue({ 'a.png': '', 'b.png': '', 'c.png': '', 'd.png': '' });
    await pool.start();
    await until(drained, 'the batch');
    expect(spawner.processes.length).toBeGreaterThanOrEqual(2);
    const big = setUp({ concurrency: 1, recycleRssBytes: 50 * MB });
    await big.enqueue({ 'x.png': '', 'y.png': '' });
    await big.pool.start();
    // Stand-in processes report 100 MB: every job recycles its worker.
    await until(big.drained, 'the second batch');
    await until(() => big.spawner.processes.length >= 3, 'a fresh worker after each job');
  });

  it('kills a worker whose memory passes the hard limit mid-job: out_of_memory, retried, then failed', async () => {
    const { pool, enqueue, jobs, drained } = setUp({ concurrency: 1, recycleRssBytes: 200 * MB });
    await enqueue({ 'leak.png': 'grow' });
    await pool.start();
    await until(drained, 'the leak to fail for good');
    expect(jobs()).toEqual([['leak.png', 'failed', 3, 'out_of_memory']]);
  });

  it("a worker ended by its watchdog's memory signal fails its job as out_of_memory, and the retry completes", async () => {
    const { pool, enqueue, jobs, drained } = setUp({ concurrency: 1 });
    await enqueue({ 'bomb.png': 'bomb 1' });
    const failed: string[] = [];
    pool.on('job-failed', (e) => failed.push(`${e.kind}:${e.outcome}`));
    await pool.start();
    await until(drained, 'the retry');
    expect(failed).toEqual(['out_of_memory:retry']);
    expect(jobs()).toEqual([['bomb.png', 'completed', 2, null]]);
  });

  it('reports workers that cannot start (fatal after three tries), without touching the queue', async () => {
    const { pool, enqueue, jobs } = setUp({ engine: 'nope' });
    await enqueue({ 'a.png': '' });
    const fatal: string[] = [];
    pool.on('fatal', (e) => fatal.push(e.message));
    await pool.start();
    await until(() => fatal.length > 0, 'fatal');
    expect(fatal[0]).toMatch(/OCR workers cannot start: no engine called nope/);
    expect(jobs()).toEqual([['a.png', 'pending', 0, null]]);
  });

  it('stops the worker of a job cancelled while it runs (lost lease), and replaces it', async () => {
    const { pool, enqueue, jobs, db } = setUp({ concurrency: 1, heartbeatMs: 10 });
    await enqueue({ 'long.png': 'hang' });
    await pool.start();
    await until(() => pool.stats().busy === 1, 'running');
    const [job] = await db.listProcessing();
    await db.cancel({ jobId: job!.jobId });
    await until(() => pool.stats().restarts === 1 && pool.stats().idle === 1, 'the replacement');
    expect(jobs()).toEqual([['long.png', 'cancelled', 1, 'cancelled']]);
  });

  it('keeps a finished result through a storage fault, claims nothing meanwhile, and stores it once writable', async () => {
    let down = false;
    const calls: string[] = [];
    const holder: { db?: SqliteJobStore } = {};
    const faulty = new Proxy({} as QueueStore, {
      get(_t, prop: string) {
        const real = (holder.db as unknown as Record<string, (...a: unknown[]) => unknown>)[prop]!.bind(holder.db);
        return (...args: unknown[]) => {
          if (down && ['claim', 'complete', 'heartbeat', 'fail'].includes(prop)) {
            calls.push(prop);
            return Promise.reject(new StorageError('full', 'SQLITE_FULL: database or disk is full'));
          }
          return real(...args);
        };
      },
    });
    const t = setUp({ concurrency: 1 }, faulty);
    holder.db = t.db;
    await t.enqueue({ 'a.png': 'delay 30', 'b.png': '' });
    const storage: boolean[] = [];
    t.pool.on('storage', (e) => storage.push(e.ok));
    await t.pool.start();
    await until(() => t.pool.stats().busy === 1, 'a running job');
    down = true;
    await until(() => calls.includes('complete') && calls.filter((c) => c === 'complete').length >= 3, 'retries of the result');
    expect(t.pool.stats().storageDown).toMatch(/Cannot write to the queue database \(SQLITE_FULL/);
    expect(t.jobs()).toEqual([
      ['a.png', 'processing', 1, null],
      ['b.png', 'pending', 0, null],
    ]);
    down = false;
    await until(t.drained, 'the batch after the fault');
    expect(t.jobs()).toEqual([
      ['a.png', 'completed', 1, null],
      ['b.png', 'completed', 1, null],
    ]);
    expect(storage).toEqual([false, true]);
  });

  it('stops starting jobs for good when the database is damaged, and says what to do', async () => {
    const holder: { db?: SqliteJobStore } = {};
    const damaged = new Proxy({} as QueueStore, {
      get(_t, prop: string) {
        const real = (holder.db as unknown as Record<string, (...a: unknown[]) => unknown>)[prop]!.bind(holder.db);
        if (prop === 'claim') return () => Promise.reject(new StorageError('damaged', 'SQLITE_CORRUPT: database disk image is malformed'));
        return real;
      },
    });
    const t = setUp({ concurrency: 1 }, damaged);
    holder.db = t.db;
    await t.enqueue({ 'a.png': '' });
    const fatal: string[] = [];
    t.pool.on('fatal', (e) => fatal.push(e.message));
    await t.pool.start();
    await until(() => fatal.length === 1, 'the fatal message');
    expect(fatal[0]).toMatch(/The queue database is damaged \(SQLITE_CORRUPT: .*quire repair/);
    expect(t.jobs()).toEqual([['a.png', 'pending', 0, null]]);
  });

  // Settings changed while the pool runs (the host re-reads them; pool-settings.ts). Never a file killed to apply one.
  it('a lowered time limit holds the page being read now', async () => {
    const { pool, enqueue, jobs, drained } = setUp({ timeoutMs: 60_000, concurrency: 1 });
    await enqueue({ 'h.png': 'hang 1' });
    const failed: { kind: string; message: string }[] = [];
    pool.on('job-failed', (e) => failed.push(e));
    await pool.start();
    await until(() => pool.stats().busy === 1, 'the file to start');
    pool.applySettings({ timeoutMs: 1000 });
    await until(drained, 'the retry');
    expect(jobs()).toEqual([['h.png', 'completed', 2, null]]);
    expect(failed).toEqual([expect.objectContaining({ kind: 'timeout', message: expect.stringMatching(/^A page took longer than 1 s/) })]);
  });

  it('new engine options replace the idle worker at once and the busy one after its file; the next file is read with them', async () => {
    const { pool, enqueue, jobs, drained, spawner, db } = setUp({ concurrency: 2 });
    await pool.start();
    await until(() => pool.stats().idle === 2, 'two idle workers');
    await enqueue({ 'slow.png': 'delay 1500' });
    await until(() => pool.stats().busy === 1, 'the slow file to start');
    const exits: string[] = [];
    pool.on('worker-exit', (e) => exits.push(e.reason));
    pool.applySettings({ engineOptions: { languages: 'deu', langPath: '', keepExistingText: false } });
    await until(drained, 'the slow file');
    await until(() => exits.length === 2 && pool.stats().idle === 2, 'both workers replaced');
    expect(exits).toEqual(['retired', 'retired']);
    expect(spawner.processes.length).toBe(4);
    expect(jobs()).toEqual([['slow.png', 'completed', 1, null]]); // not killed, not retried
    await enqueue({ 'next.png': '' });
    await until(drained, 'the next file');
    const languages = db.db.prepare<[], { path: string; ocr_languages: string }>('SELECT path, ocr_languages FROM documents ORDER BY path').all();
    expect(languages.map((r) => [r.path.split('/').pop(), r.ocr_languages])).toEqual([
      ['next.png', 'deu'],
      ['slow.png', 'eng'],
    ]);
    expect(pool.liveSettings().engineOptions.languages).toBe('deu');
  });

  it('a lowered file limit replaces an idle worker already past it, and then each worker after its files', async () => {
    const { pool, enqueue, drained, spawner } = setUp({ concurrency: 1 });
    await enqueue({ 'a.png': '', 'b.png': '' });
    await pool.start();
    await until(drained, 'the first files');
    expect(spawner.processes.length).toBe(1);
    pool.applySettings({ recycleAfterJobs: 1 });
    await until(() => spawner.processes.length === 2 && pool.stats().idle === 1, 'the worker past the limit replaced');
    await enqueue({ 'c.png': '' });
    await until(drained, 'the next file');
    await until(() => spawner.processes.length === 3, 'a fresh worker after one file');
  });
});
