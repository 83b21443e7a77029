/**
 * Pool settings changed while a host runs, saved by another process (another Quire on the same
 * data folder, as `quire config set` or the app would): the running host applies them from the
 * next file without a restart, and never by killing a file in progress. Real worker processes,
 * the scripted engine (it records the languages it read with).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { testForkSpawner } from '../support/test-spawner';
import { createQuire } from '../../src/core/app';
import { type Host, openHost } from '../../src/core/host';
import { writeScripts } from './cli-helpers';
import { drained, openStore, waitUntil, WORKER_ENTRY } from './harness';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function start(): Promise<{ host: Host; data: string; dir: string; other: ReturnType<typeof createQuire>; store: ReturnType<typeof openStore> }> {
  const dir = tempDir();
  const data = join(dir, 'data');
  const host = await openHost({
    dataDir: data,
    env: {},
    spawner: testForkSpawner({ stdio: 'ignore' }),
    workerEntry: WORKER_ENTRY,
    engine: 'scripted',
    workers: { concurrency: 1 },
    tuning: { configRefreshMs: 50, pool: { idlePollMs: 50 } },
  });
  open.push(host);
  // Another process's view of the same data folder: where `quire config set` saves.
  const other = createQuire({ dataDir: data, env: {} });
  open.push({ close: () => other.close() });
  const store = openStore(data);
  open.push({ close: () => store.close() });
  return { host, data, dir, other, store };
}

async function readAll(host: Host, store: ReturnType<typeof openStore>, paths: string[]): Promise<void> {
  await host.handlers.addPaths({ paths });
  await waitUntil(() => drained(store), 30_000, 'the files to be read');
}

describe('a running host follows the pool settings', () => {
  it('ocr_languages and ocr_model saved elsewhere reach the next file; the idle worker is replaced, not a busy one killed', async () => {
    const { host, dir, other, store } = await start();
    const [first, second] = writeScripts(dir, { 'first.png': '', 'second.png': '' });
    const languagesOf = (path: string) =>
      store.db.prepare<[string], { ocr_languages: string | null }>('SELECT ocr_languages FROM documents WHERE path = ?').get(path)?.ocr_languages;

    await readAll(host, store, [first!]);
    expect(languagesOf(first!)).toBe('eng');
    const before = host.pool!.pids();

    await other.setSetting('ocr_languages', 'deu+eng');
    await other.setSetting('ocr_model', 'fast');
    // The idle worker, started with the old settings, is replaced once the host has read the new ones.
    await waitUntil(() => host.pool!.pids().length === 1 && !before.includes(host.pool!.pids()[0]!) && host.pool!.stats().idle === 1, 30_000, 'the idle worker replaced');
    expect(host.pool!.liveSettings().engineOptions).toMatchObject({ languages: 'deu+eng', model: 'fast' });

    await readAll(host, store, [second!]);
    expect(languagesOf(second!)).toBe('deu+eng');
    expect(languagesOf(first!)).toBe('eng');
  });

  it('worker_recycle_jobs saved elsewhere reaches the next file', async () => {
    const { host, dir, other, store } = await start();
    const [a, b, c] = writeScripts(dir, { 'a.png': '', 'b.png': '', 'c.png': '' });
    const exits: string[] = [];
    host.pool!.on('worker-exit', (e) => exits.push(e.reason));

    await readAll(host, store, [a!]);
    expect(exits).toEqual([]); // 250 files per worker by default

    await other.setSetting('worker_recycle_jobs', 1);
    await waitUntil(() => host.pool!.liveSettings().recycleAfterJobs === 1, 30_000, 'the host to read the new limit');
    await readAll(host, store, [b!, c!]);
    // The worker that had read a.png is past the new limit at once; each later one after its one file.
    await waitUntil(() => exits.length === 3, 30_000, 'three workers replaced');
    expect(exits).toEqual(['retired', 'retired', 'retired']);
  });

  it('ocr_timeout_seconds lowered holds the page being read now', async () => {
    const { host, dir, other, store } = await start();
    const [stuck] = writeScripts(dir, { 'stuck.png': 'hang 1' });
    const finished: { status: string; kind: string | null }[] = [];
    host.subscribe((m) => {
      if (m.event === 'jobFinished') finished.push({ status: m.data.status, kind: m.data.kind });
    });
    await host.handlers.addPaths({ paths: [stuck!] });
    await waitUntil(async () => (await store.stats()).processing === 1, 30_000, 'the file to start');
    await other.setSetting('ocr_timeout_seconds', 5);
    // Hangs on its first attempt only: timed out under the new limit, then read on the retry.
    await waitUntil(() => drained(store), 60_000, 'the file to be read');
    expect(finished).toEqual([
      { status: 'pending', kind: 'timeout' },
      { status: 'completed', kind: null },
    ]);
  });
});
