/**
 * Process level: a real `quire worker` (scripted engine) pointed at a fake /sys tree follows the
 * power state: half its pool on battery, paused below 20%, full again on AC, with the reason in
 * `quire stats --json` (another process), and no job killed or counted twice to get there.
 */
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { laptopOnAc, laptopOnBattery } from '../support/fake-sysfs';
import { cliEnv, quire, startQuire, taggedPids, writeScripts } from './cli-helpers';

const TAG = `worker-power-${process.pid}`;

/** OCR worker processes of this test (their command line runs test/support/test-worker.ts). */
function workerCount(): number {
  return taggedPids(TAG).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('test-worker.ts');
    } catch {
      return false;
    }
  }).length;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, limitMs = 60_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('quire worker follows the power state', () => {
  afterAll(() => {
    for (const pid of taggedPids(TAG)) process.kill(pid, 'SIGKILL');
  });

  it('halves its pool on battery, pauses below 20%, recovers on AC, and never kills a job to do it', async () => {
    expect(availableParallelism(), 'this test needs 2 cores: the pool is capped at the core count').toBeGreaterThanOrEqual(2);
    const root = tempDir('quire-worker-power-');
    const sys = join(root, 'sys');
    const scans = join(root, 'scans');
    const data = join(root, 'data');
    laptopOnAc(sys, 100);
    // 40 one-second jobs: enough to outlast every phase at 1-2 workers.
    writeScripts(scans, Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`p${String(i).padStart(2, '0')}.png`, 'delay 1000'])));
    // The in-use rule is made inert, so whatever idle signal the machine has cannot affect the count.
    const env = cliEnv(TAG, { QUIRE_SYSFS_ROOT: sys, OCR_CONCURRENT_JOBS: '2', QUIRE_ACTIVE_MAX_WORKERS: '64' });
    const stats = async () => JSON.parse((await quire(['stats', '--json', '--data-dir', data], env)).stdout);
    expect((await quire(['ingest', scans, '--data-dir', data], env)).code).toBe(0);
    expect(await stats()).toMatchObject({ workersAllowed: null, throttleReason: null, hosts: [] });
    const worker = startQuire(['worker', '--data-dir', data], env);

    // On AC: both workers, no reason.
    await until('2 workers on AC', () => workerCount() === 2);
    await until('the worker host published its count', async () => (await stats()).workersAllowed === 2);
    expect(await stats()).toMatchObject({ workersAllowed: 2, throttleReason: null });

    // Unplugged at 43%: within a poll plus the job in hand, one worker; the other finished its
    // file first (checked at the end: every file ran exactly once).
    laptopOnBattery(sys, 43);
    await until('1 worker on battery', () => workerCount() === 1, 20_000);
    expect(await stats()).toMatchObject({ workersAllowed: 1, throttleReason: '1 of 2 workers: on battery (43%)' });
    for (let i = 0; i < 3; i++) expect((await stats()).processing).toBeLessThanOrEqual(1);
    const text = (await quire(['stats', '--data-dir', data], env)).stdout;
    expect(text).toMatch(/workers\s+1 of 2 workers: on battery \(43%\)/);

    // Below 20%: paused; nothing completes while paused.
    laptopOnBattery(sys, 15);
    await until('paused', async () => (await stats()).workersAllowed === 0 && workerCount() === 0, 20_000);
    expect((await stats()).throttleReason).toBe('paused: battery low (15%, pauses below 20%)');
    const done = (await stats()).completed;
    await sleep(6000);
    expect((await stats()).completed).toBe(done);

    // Back on AC: two workers again, the reason gone, and the queue drains.
    laptopOnAc(sys, 16);
    await until('2 workers on AC again', () => workerCount() === 2, 20_000);
    expect(await stats()).toMatchObject({ workersAllowed: 2, throttleReason: null });
    await until('all 40 complete', async () => (await stats()).completed === 40, 90_000);
    const s = await stats();
    expect([s.failed, s.pending, s.processing]).toEqual([0, 0, 0]);
    // A job killed by a resize would have been claimed twice: every row completed at the first attempt.
    const db = new Database(join(data, 'quire.db'), { readonly: true });
    const rows = db.prepare('SELECT status, attempts FROM ocr_queue').all() as { status: string; attempts: number }[];
    db.close();
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => `${r.status}/${r.attempts}`))).toEqual(new Set(['completed/1']));

    // A host that stops takes its row with it.
    worker.child.kill('SIGTERM');
    expect((await worker.done).code).toBe(0);
    expect(await stats()).toMatchObject({ workersAllowed: null, throttleReason: null, hosts: [] });
  }, 180_000);

  it('quire worker says which power signals this machine does not report', async () => {
    const root = tempDir('quire-worker-nosys-');
    const env = cliEnv(TAG, { QUIRE_SYSFS_ROOT: join(root, 'no-such-sys'), OCR_CONCURRENT_JOBS: '1' });
    const worker = startQuire(['worker', '--data-dir', join(root, 'data')], env);
    let err = '';
    worker.child.stderr!.on('data', (d) => (err += d));
    await until('the unavailable signals said', () => err.includes('(ENOENT).\n'), 30_000);
    expect(err).toContain(`Battery state is not available: ${join(root, 'no-such-sys', 'class', 'power_supply')} cannot be read (ENOENT).\n`);
    worker.child.kill('SIGTERM');
    expect((await worker.done).code).toBe(0);
  }, 60_000);

  it('quire run says why fewer workers run; --full-speed lifts the limits for its batch', async () => {
    const root = tempDir('quire-run-power-');
    const sys = join(root, 'sys');
    const data = join(root, 'data');
    const env = cliEnv(TAG, { QUIRE_SYSFS_ROOT: sys, OCR_CONCURRENT_JOBS: '2', QUIRE_ACTIVE_MAX_WORKERS: '64' });

    laptopOnBattery(sys, 43);
    writeScripts(join(root, 'one'), { 'a.png': 'delay 50', 'b.png': 'delay 50' });
    const onBattery = await quire(['run', join(root, 'one'), '--data-dir', data], env);
    expect(onBattery.code).toBe(0);
    expect(onBattery.stderr).toContain('Workers: 1 of 2 workers: on battery (43%)\n');
    expect(onBattery.stdout).toContain('2 files completed');

    // Below 20% a run would wait for the charger; --full-speed reads its files now.
    laptopOnBattery(sys, 15);
    writeScripts(join(root, 'two'), { 'c.png': 'delay 50', 'd.png': 'delay 50' });
    const forced = await quire(['run', join(root, 'two'), '--full-speed', '--data-dir', data], env);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('Running at full speed (--full-speed) instead of: paused: battery low (15%, pauses below 20%).\n');
    expect(forced.stdout).toContain('2 files completed');
  }, 120_000);
});
