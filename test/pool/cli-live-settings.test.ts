/**
 * Settings changed while `quire worker` runs, saved by another process (`quire config set`): the
 * running host notices them without a restart. Real processes, the scripted engine.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { cliEnv, quire, startQuire, taggedPids, writeScripts } from './cli-helpers';
import { jobsOf, openStore, waitUntil } from './harness';

describe('quire worker follows ocr_timeout_seconds', () => {
  it('a file hanging under the old limit fails as timeout once the limit is lowered from another process', async () => {
    const root = tempDir();
    const scans = join(root, 'scans');
    const data = join(root, 'data');
    const tag = `cli-live-timeout-${process.pid}-${Date.now()}`;
    const env = cliEnv(tag, { OCR_CONCURRENT_JOBS: '1' });
    const [stuck] = writeScripts(scans, { 'stuck.png': 'hang' });
    expect((await quire(['ingest', scans, '--data-dir', data], env)).code).toBe(0);
    const store = openStore(data);
    // The default limit (300 s per page): the file hangs under it.
    const worker = startQuire(['worker', '--data-dir', data, '--grace', '0'], env);
    try {
      await waitUntil(async () => (await store.stats()).processing === 1, 30_000, 'the hanging file to start');
      const set = await quire(['config', 'set', 'ocr_timeout_seconds', '5', '--data-dir', data], env);
      expect(set.code).toBe(0);
      expect(set.stdout).toContain('Saved; a running Quire applies it at once');
      // Every attempt now hangs past 5 s: the file ends failed as timeout, and the worker never restarted.
      await waitUntil(() => jobsOf(store).some((j) => j.status === 'failed'), 120_000, 'the hanging file to fail');
      expect(jobsOf(store)).toEqual([{ path: stuck, status: 'failed', attempts: 3, error_kind: 'timeout' }]);
      expect(worker.child.exitCode).toBe(null);
      worker.child.kill('SIGTERM');
      expect((await worker.done).code).toBe(0);
      expect(taggedPids(tag)).toEqual([]);
    } finally {
      await store.close();
      worker.child.kill('SIGKILL');
    }
  }, 180_000);
});

describe('more OCR workers than cores', () => {
  it('quire run says the number is capped and at what, from --concurrency or from the setting', async () => {
    const root = tempDir();
    const scans = join(root, 'scans');
    const data = join(root, 'data');
    const tag = `cli-cap-${process.pid}-${Date.now()}`;
    const env = cliEnv(tag);
    delete env.OCR_CONCURRENT_JOBS; // the saved setting decides
    writeScripts(scans, { 'a.png': '' });
    const flag = await quire(['run', scans, '--concurrency', '64', '--data-dir', data], env);
    expect(flag.code).toBe(0);
    expect(flag.stderr).toMatch(/^--concurrency: Capped at \d+ OCR workers? \(asked for 64\): this computer has \d+ CPU cores?, and more workers would only wait for a core\.$/m);

    expect((await quire(['config', 'set', 'concurrent_ocr_jobs', '64', '--data-dir', data], env)).stdout).toContain('Capped at');
    writeScripts(scans, { 'b.png': '' });
    const setting = await quire(['run', scans, '--data-dir', data], env);
    expect(setting.code).toBe(0);
    expect(setting.stderr).toMatch(/^concurrent_ocr_jobs: Capped at \d+ OCR workers? \(asked for 64\)/m);
    expect(taggedPids(tag)).toEqual([]);
  });
});
