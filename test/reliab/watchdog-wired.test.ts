/**
 * The worker's watchdog thread, wired in (src/worker/process.ts), through real worker processes:
 * a worker stuck in synchronous code dies soon after its host is SIGKILLed (the old orphan guard
 * ran on the stuck thread and never fired), and one that allocates without ever yielding is ended
 * at the hard memory limit, its job failed as out_of_memory and retried.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { cliEnv, startQuire, taggedPids, writeScripts } from '../pool/cli-helpers';
import { drained, enqueueScripts, jobsOf, makePool, openStore, waitUntil } from '../pool/harness';

/** Worker processes of the test (their command line runs the test worker entry). */
function workerPids(tag: string): number[] {
  return taggedPids(tag).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('test-worker.ts');
    } catch {
      return false;
    }
  });
}

describe('the worker watchdog, wired in', () => {
  it('ends a worker spinning in synchronous code once its host is SIGKILLed', async () => {
    const root = tempDir('quire-watchdog-');
    const data = join(root, 'data');
    const tag = `watchdog-${process.pid}-${Date.now()}`;
    const env = cliEnv(tag, { OCR_CONCURRENT_JOBS: '1' });
    writeScripts(join(root, 'scans'), { 'spin.png': 'spin' });
    const host = startQuire(['run', join(root, 'scans'), '--data-dir', data], env);
    await waitUntil(() => existsSync(join(data, 'quire.db')), 60_000, 'the run to open its queue');
    const store = openStore(data);
    try {
      await waitUntil(async () => (await store.stats()).processing === 1 && workerPids(tag).length === 1, 60_000, 'the worker to be spinning');
      const [worker] = workerPids(tag);
      host.child.kill('SIGKILL');
      await host.done;
      // Spinning, deaf to SIGTERM and with its main thread never free: only the watchdog can end it.
      await waitUntil(() => !workerPids(tag).includes(worker!), 15_000, 'the orphaned worker to die');
      expect(taggedPids(tag)).toEqual([]);
    } finally {
      for (const pid of taggedPids(tag)) process.kill(pid, 'SIGKILL');
      await store.close();
    }
  });

  it('ends a worker allocating in synchronous code at the hard limit: out_of_memory, then the retry completes', async () => {
    const dir = tempDir('quire-bomb-');
    const store = openStore(dir);
    await enqueueScripts(store, dir, { 'bomb.png': 'bomb 1' });
    const { pool } = makePool(store, { concurrency: 1, recycleRssBytes: 200 * 1024 * 1024, maxJobRssBytes: 400 * 1024 * 1024 });
    const exits: (string | null)[] = [];
    pool.on('worker-exit', (e) => exits.push(e.signal));
    await pool.start();
    await waitUntil(() => drained(store), 90_000, 'the batch');
    expect(jobsOf(store).map((j) => [j.status, j.attempts])).toEqual([['completed', 2]]);
    // Ended by its own watchdog's signal, not by the pool's kill (the main thread never reported).
    expect(exits).toContain('SIGUSR2');
    await store.close();
  });
});
