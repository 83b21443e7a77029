import { copyFileSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PoolEvents } from '../../src/core/pool/events';
import { isPidAlive } from '../../src/core/pool/host-id';
import type { WorkerPool } from '../../src/core/pool/supervisor';
import { tempDir } from '../helpers';
import { drained, enqueueScripts, jobsOf, makePool, openStore, waitUntil } from './harness';

function collect<K extends keyof PoolEvents>(pool: WorkerPool, event: K): PoolEvents[K][0][] {
  const out: PoolEvents[K][0][] = [];
  (pool.on as (e: K, cb: (x: PoolEvents[K][0]) => void) => unknown).call(pool, event, (x) => out.push(x));
  return out;
}

describe('worker pool', () => {
  it('runs a batch to completion, records pages and hashes, and reuses results for identical files', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    const scripts: Record<string, string> = {};
    for (let i = 0; i < 10; i++) scripts[`f${i}.png`] = `pages ${1 + (i % 3)}\ntext words of file ${i}`;
    const paths = await enqueueScripts(store, dir, scripts);
    const { pool } = makePool(store);
    const completed = collect(pool, 'job-completed');
    await pool.start();
    await waitUntil(() => drained(store), 30_000, 'the batch');
    expect(jobsOf(store).every((j) => j.status === 'completed' && j.attempts === 1)).toBe(true);
    expect(completed).toHaveLength(10);
    const doc = (await store.getDocumentByPath(paths[5]!))!;
    expect(doc.pageCount).toBe(3);
    expect(doc.contentHash).toBe(createHash('sha256').update(readFileSync(paths[5]!)).digest('hex'));
    expect((await store.getPages(doc.id)).map((p) => p.pageNo)).toEqual([1, 2, 3]);

    // A byte-identical copy at another path: the worker hashes it and the stored result is reused.
    const copy = join(dir, 'copy-of-f5.png');
    copyFileSync(paths[5]!, copy);
    await store.enqueueBatch([{ path: copy, size: 100, mtimeMs: Date.now(), kind: 'image/png' }]);
    await waitUntil(() => drained(store), 30_000, 'the copy');
    const copied = (await store.getDocumentByPath(copy))!;
    expect(copied.ocrStatus).toBe('completed');
    expect(copied.text).toBe(doc.text);
    expect(copied.contentHash).toBe(doc.contentHash);
    expect(completed.at(-1)).toMatchObject({ path: copy, reused: true, pages: 3 });
    expect(pool.stats()).toMatchObject({ jobsCompleted: 11, jobsReused: 1, pagesDone: 1 + 2 + 3 + 1 + 2 + 3 + 1 + 2 + 3 + 1 + 3 });
  });

  it('kills a hanging job at the timeout, replaces the process, and retries the job', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    const [hang] = await enqueueScripts(store, dir, { 'hang.png': 'hang 1' });
    const { pool } = makePool(store, { concurrency: 1, timeoutMs: 1500 });
    const failed = collect(pool, 'job-failed');
    const exits = collect(pool, 'worker-exit');
    const busy = collect(pool, 'worker-busy');
    await pool.start();
    await waitUntil(() => drained(store), 30_000, 'the retried job');
    expect(failed).toEqual([expect.objectContaining({ path: hang, kind: 'timeout', outcome: 'retry' })]);
    expect(exits[0]).toMatchObject({ reason: 'timeout' });
    expect(isPidAlive(busy[0]!.pid!)).toBe(false);
    expect(busy[1]!.pid).not.toBe(busy[0]!.pid);
    expect(jobsOf(store)).toEqual([expect.objectContaining({ status: 'completed', attempts: 2 })]);
    expect(pool.stats()).toMatchObject({ workers: 1, restarts: 1 });
  });

  it('retries a job whose worker crashed, and completes it', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    await enqueueScripts(store, dir, { 'crash-once.png': 'crash 1', 'ok.png': 'pages 2' });
    const { pool } = makePool(store);
    const failed = collect(pool, 'job-failed');
    await pool.start();
    await waitUntil(() => drained(store), 30_000, 'the batch');
    expect(failed).toEqual([expect.objectContaining({ kind: 'worker_crashed', outcome: 'retry' })]);
    expect(jobsOf(store).map((j) => [j.status, j.attempts])).toEqual([
      ['completed', 2],
      ['completed', 1],
    ]);
  });

  it('fails a poison file after max_attempts while the pool keeps its size and finishes the rest', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    const scripts: Record<string, string> = { 'poison.png': 'crash' };
    for (let i = 0; i < 6; i++) scripts[`ok${i}.png`] = 'pages 1';
    const [poison] = await enqueueScripts(store, dir, scripts);
    const { pool } = makePool(store);
    await pool.start();
    await waitUntil(() => drained(store), 40_000, 'the batch');
    const jobs = jobsOf(store);
    expect(jobs.find((j) => j.path === poison)).toMatchObject({ status: 'failed', attempts: 3, error_kind: 'worker_crashed' });
    expect(jobs.filter((j) => j.status === 'completed')).toHaveLength(6);
    expect((await store.getDocumentByPath(poison!))!.ocrErrorKind).toBe('worker_crashed');
    await waitUntil(() => pool.stats().idle === 2, 20_000, 'two idle workers');
    expect(pool.stats()).toMatchObject({ target: 2, workers: 2, restarts: 3, jobsFailed: 1 });
  });

  it('fails permanent errors (engine, missing file) at once, with their kind', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    await enqueueScripts(store, dir, { 'bad.png': 'fail corrupt_file' });
    // A file deleted after ingest: the worker's read fails as file_missing, also permanent.
    await store.enqueueBatch([{ path: join(dir, 'gone.png'), size: 1, mtimeMs: 1, kind: 'image/png' }]);
    const { pool } = makePool(store, { concurrency: 1 });
    await pool.start();
    await waitUntil(() => drained(store), 30_000, 'the job');
    expect(jobsOf(store)).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 1, error_kind: 'corrupt_file' }),
      expect.objectContaining({ status: 'failed', attempts: 1, error_kind: 'file_missing' }),
    ]);
  });

  it('shuts down gracefully: a job that finishes within the grace completes, the rest go back to pending', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    // a-short must still be running when stop() is called, or c-waiting starts in its place: 4 s
    // leaves room for a test process stalled by a loaded CI machine (1.5 s did not, under the e2e).
    const [short, long] = await enqueueScripts(store, dir, { 'a-short.png': 'delay 4000', 'b-long.png': 'delay 60000' });
    await enqueueScripts(store, dir, { 'c-waiting.png': 'pages 1' });
    const { pool, spawner } = makePool(store);
    await pool.start();
    await waitUntil(() => pool.stats().busy === 2, 30_000, 'two busy workers');
    await pool.stop(8000);
    const jobs = jobsOf(store);
    expect(jobs.find((j) => j.path === short)).toMatchObject({ status: 'completed' });
    expect(jobs.find((j) => j.path === long)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(jobs.find((j) => j.path.endsWith('c-waiting.png'))).toMatchObject({ status: 'pending', attempts: 0 });
    expect(spawner.pids.filter(isPidAlive)).toEqual([]);
    expect(pool.stats().workers).toBe(0);
  });

  it('grows and shrinks at run time without losing a job', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    const scripts: Record<string, string> = {};
    // Long enough jobs that a second worker, started at run time on a loaded machine (seconds
    // under load), still finds work when it is ready.
    for (let i = 0; i < 16; i++) scripts[`r${String(i).padStart(2, '0')}.png`] = 'delay 600';
    await enqueueScripts(store, dir, scripts);
    const { pool } = makePool(store, { concurrency: 1 });
    await pool.start();
    await waitUntil(() => pool.stats().jobsCompleted >= 2, 30_000, 'two jobs');
    pool.resize(2);
    await waitUntil(() => pool.stats().busy === 2, 30_000, 'two busy workers');
    pool.resize(1);
    expect(pool.stats().busy).toBe(2); // shrinking lets both running jobs finish
    await waitUntil(() => drained(store), 30_000, 'the batch');
    expect(jobsOf(store).map((j) => [j.status, j.attempts])).toEqual(Array(16).fill(['completed', 1]));
    await waitUntil(() => pool.stats().workers === 1, 10_000, 'one worker');
    expect(pool.stats()).toMatchObject({ target: 1, jobsCompleted: 16, jobsFailed: 0, jobsRetried: 0 });
  });

  it('renews the lease of a long job and records page progress', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    await enqueueScripts(store, dir, { 'long.png': 'pages 6\ndelay 400' });
    // A 1 s lease with stale recovery running all the time: only heartbeats keep the job.
    const { pool } = makePool(store, { concurrency: 1, leaseMs: 1000 });
    const progress = collect(pool, 'worker-progress');
    await pool.start();
    const seen = new Set<string>();
    let recovered = 0;
    while (!(await drained(store))) {
      const r = await store.recoverStale(1000);
      recovered += r.requeued + r.failed;
      for (const j of (await store.stats()).in_progress) if (j.page) seen.add(`${j.page}/${j.pages}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(recovered).toBe(0);
    expect(jobsOf(store)).toEqual([expect.objectContaining({ status: 'completed', attempts: 1 })]);
    expect(progress.map((p) => p.page)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen.size).toBeGreaterThanOrEqual(3);
  });

  it('recycles a worker after its job limit', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    await enqueueScripts(store, dir, { 'a.png': '', 'b.png': '', 'c.png': '', 'd.png': '' });
    const { pool, spawner } = makePool(store, { concurrency: 1, recycleAfterJobs: 2 });
    await pool.start();
    await waitUntil(() => drained(store), 30_000, 'the batch');
    await waitUntil(() => spawner.pids.length === 3 && pool.stats().idle === 1, 10_000, 'the third worker');
    expect(pool.stats()).toMatchObject({ workers: 1, jobsCompleted: 4, restarts: 0 });
  });

  it('recycles a worker whose memory passes the limit', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    await enqueueScripts(store, dir, { 'a.png': '', 'b.png': '' });
    // Every process is over a 1-byte limit, so each one does a single job.
    const { pool, spawner } = makePool(store, { concurrency: 1, recycleRssBytes: 1 });
    await pool.start();
    await waitUntil(() => drained(store), 30_000, 'the batch');
    await waitUntil(() => spawner.pids.length === 3 && pool.stats().idle === 1, 10_000, 'the third worker');
    expect(pool.stats()).toMatchObject({ workers: 1, jobsCompleted: 2, restarts: 0 });
  });

  it('reports workers that cannot start their engine, without touching the queue', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    await enqueueScripts(store, dir, { 'a.png': '' });
    const { pool } = makePool(store, { engine: 'no-such-engine', fatalAfterInitFailures: 2 });
    const fatal = collect(pool, 'fatal');
    await pool.start();
    await waitUntil(() => fatal.length === 1, 30_000, 'the fatal event');
    expect(fatal[0]!.message).toContain('Unknown OCR engine "no-such-engine"');
    expect(jobsOf(store)).toEqual([expect.objectContaining({ status: 'pending', attempts: 0 })]);
  });

  it('stops the worker of a job cancelled while it runs, and replaces it', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    await enqueueScripts(store, dir, { 'long.png': 'delay 60000' });
    const { pool } = makePool(store, { concurrency: 1, leaseMs: 1000 });
    const exits = collect(pool, 'worker-exit');
    const busy = collect(pool, 'worker-busy');
    await pool.start();
    await waitUntil(() => busy.length === 1, 30_000, 'a busy worker');
    expect(await store.cancel({ jobId: busy[0]!.jobId })).toBe(1);
    await waitUntil(() => exits.length === 1 && pool.stats().idle === 1, 30_000, 'the replacement');
    expect(exits[0]).toMatchObject({ reason: 'lost', pid: busy[0]!.pid });
    expect(isPidAlive(busy[0]!.pid!)).toBe(false);
    expect(jobsOf(store)).toEqual([expect.objectContaining({ status: 'cancelled', attempts: 1 })]);
    expect(pool.stats()).toMatchObject({ jobsFailed: 0, jobsRetried: 0 });
  });
});
