/**
 * The host's API over a real SQLite data folder: live events from database writes (as another
 * process's worker would make them), handler validation as sentences, settings saved all or none,
 * and what a host without a pool or watcher answers. A host with a pool runs real worker loops in
 * memory (test/support/memory-spawner.ts) with the scripted engine.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers';
import { createMemorySpawner, memoryWorker } from '../../../test/support/memory-spawner';
import { createScriptedEngine } from '../../../test/support/scripted-engine';
import type { Quire } from '../app';
import { dispatch } from './dispatch';
import type { EventMessage } from '../../shared/events';
import { type Host, openHost } from '../host';

describe('the API host', () => {
  let quire: Quire;
  let host: Host;
  const events: EventMessage[] = [];

  beforeAll(async () => {
    // A long interval: the test drives looks with refresh(), so nothing depends on timing.
    host = await openHost({ dataDir: tempDir('quire-host-'), env: {}, live: { intervalMs: 3_600_000 } });
    quire = host.quire;
    host.subscribe((m) => events.push(m));
  });
  afterAll(async () => {
    await host.close();
  });

  it('turns database writes into statsChanged, jobProgress and jobFinished events', async () => {
    await host.refresh();
    await quire.store.enqueueBatch([{ path: '/x/a.png', size: 1, mtimeMs: 1, kind: 'image/png' }]);
    const job = (await quire.store.claim('w9'))!;
    await quire.store.progress(job.jobId, 'w9', 2, 5);
    events.length = 0;
    await host.refresh();
    expect(events.map((e) => e.event).sort()).toEqual(['jobProgress', 'statsChanged']);
    expect(events.find((e) => e.event === 'jobProgress')!.data).toEqual({ jobId: job.jobId, path: '/x/a.png', workerId: 'w9', page: 2, pages: 5 });
    events.length = 0;
    await host.refresh();
    expect(events).toEqual([]); // nothing changed, nothing sent
    await quire.store.fail(job.jobId, 'w9', { kind: 'corrupt_file', message: 'bad' });
    await host.refresh();
    const finished = events.find((e) => e.event === 'jobFinished');
    expect(finished?.data).toEqual({ jobId: job.jobId, path: '/x/a.png', status: 'failed', kind: 'corrupt_file', message: 'bad' });
    expect(events.some((e) => e.event === 'statsChanged' && e.data.failed === 1)).toBe(true);
  });

  it('groups failures with the human message, and exports them as CSV', async () => {
    const groups = await host.handlers.failureGroups();
    expect(groups).toEqual([{ kind: 'corrupt_file', count: 1, message: 'The file is damaged or truncated and could not be decoded.' }]);
    const csv = await host.handlers.exportFailuresCsv();
    expect(csv).toBe(
      'path,error_kind,reason,message,attempts,job_id\r\n' +
        `/x/a.png,corrupt_file,The file is damaged or truncated and could not be decoded.,bad,1,${(await quire.store.listFailures())[0]!.jobId}\r\n`,
    );
  });

  it('refuses bad arguments with sentences, as data', async () => {
    expect(await dispatch(host.handlers, 'listJobs', { limit: 0 })).toEqual({
      ok: false,
      error: { name: 'QuireError', kind: 'invalid_argument', message: '"limit" must be a whole number from 1 to 1000.' },
    });
    expect(await dispatch(host.handlers, 'listJobs', 'nope')).toMatchObject({ ok: false, error: { message: 'listJobs expects an object of named arguments.' } });
    expect(await dispatch(host.handlers, 'document', { id: 'missing' })).toMatchObject({
      ok: false,
      error: { kind: 'not_found', message: 'That document is no longer in the queue database.' },
    });
    expect(await dispatch(host.handlers, 'cancel', { jobId: 'missing' })).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    expect(await dispatch(host.handlers, 'addPaths', { paths: ['/definitely/not/here'] })).toMatchObject({
      ok: false,
      error: { kind: 'path_missing', message: 'No such file or folder: /definitely/not/here' },
    });
  });

  it('saves settings all or none, with one sentence per refused value', async () => {
    const r = await host.handlers.updateSettings({ values: { ocr_timeout_seconds: '120', concurrent_ocr_jobs: 0, queue_batch_size: 5, nope: 1 } });
    expect(r.errors).toEqual([
      { key: 'concurrent_ocr_jobs', message: 'Invalid value 0 for concurrent_ocr_jobs: it accepts a whole number from 1 to 64.' },
      {
        key: 'queue_batch_size',
        message:
          'queue_batch_size is not saved in the database; set the environment variable QUEUE_BATCH_SIZE instead. Restart Quire to apply it: it is read from its environment variable when Quire starts.',
      },
      { key: 'nope', message: expect.stringContaining('There is no setting called "nope".') },
    ]);
    expect(r.settings.find((s) => s.key === 'ocr_timeout_seconds')!.value).toBe(300); // nothing saved
    const ok = await host.handlers.updateSettings({ values: { ocr_timeout_seconds: '120', enable_background_ocr: false } });
    expect(ok.errors).toEqual([]);
    expect(await quire.store.getSetting('ocr_timeout_seconds')).toBe(120);
    expect(await quire.store.getSetting('enable_background_ocr')).toBe(false);
  });

  it('says plainly when no pool runs in this host; watched folders are saved for the host that watches', async () => {
    expect(await host.handlers.workers()).toEqual({ source: 'none', workers: [] });
    const inbox = tempDir('quire-inbox-');
    expect(await host.handlers.watchedFolders()).toEqual({ available: false, folders: [] });
    const added = await host.handlers.addWatchedFolder({ path: inbox });
    expect(added).toMatchObject({ path: inbox, state: 'stopped', notes: [] });
    expect((await host.handlers.watchedFolders()).folders.map((f) => f.path)).toEqual([inbox]);
    expect(await host.handlers.removeWatchedFolder({ path: inbox })).toBe(true);
    expect(await dispatch(host.handlers, 'removeWatchedFolder', { path: inbox })).toMatchObject({ ok: false, error: { kind: 'not_watched' } });
    const c = await host.handlers.setConcurrency({ value: 1 });
    expect(c.applied).toBe(false);
    expect(c.setting.value).toBe(1);
  });

  it('uses its pool and watcher when it runs them', async () => {
    const root = tempDir('quire-host-pool-');
    const spawner = createMemorySpawner(memoryWorker(async (_name, proc) => createScriptedEngine({ crash: proc.crash, spin: () => new Promise(() => {}), grow: () => new Promise(() => {}), bomb: () => new Promise(() => {}) })));
    const h = await openHost({ dataDir: join(root, 'data'), env: {}, spawner, engine: 'scripted', workers: { concurrency: 1 }, watch: true });
    try {
      const seen: string[] = [];
      h.subscribe((m) => seen.push(m.event));
      await expect.poll(async () => (await h.handlers.workers()).workers.map((w) => w.state)).toEqual(['idle']);
      expect((await h.handlers.workers()).source).toBe('pool');
      expect((await h.handlers.setConcurrency({ value: 2 })).applied).toBe(true);
      const inbox = join(root, 'inbox');
      mkdirSync(inbox);
      await h.handlers.addWatchedFolder({ path: inbox });
      expect((await h.handlers.watchedFolders()).available).toBe(true);
      await expect.poll(async () => (await h.handlers.watchedFolders()).folders.map((f) => f.state), { timeout: 10_000 }).toEqual(['watching']);
      expect(await h.handlers.removeWatchedFolder({ path: inbox })).toBe(true);
      expect(seen.filter((e) => e === 'watcherStatus').length).toBeGreaterThanOrEqual(2);
    } finally {
      await h.close();
    }
  });
  it('still reports a change back to what it last saw, after a command sent its own stats (requeue, then failed again)', async () => {
    await quire.store.enqueueBatch([{ path: '/x/again.png', size: 1, mtimeMs: 1, kind: 'image/png' }]);
    const fail = async () => {
      const job = (await quire.store.claim('w9'))!;
      await quire.store.fail(job.jobId, 'w9', { kind: 'corrupt_file', message: 'bad' });
      return job.jobId;
    };
    const jobId = await fail();
    await host.refresh();
    const failedBefore = (await quire.store.stats()).failed;
    await host.handlers.requeueFailed({ jobId, force: true }); // sends failed - 1 itself (forced: the file is not there)
    await fail(); // a worker fails it again before the next look: the counters equal the last look's
    events.length = 0;
    await host.refresh();
    const sent = events.filter((e) => e.event === 'statsChanged');
    expect(sent.map((e) => (e.data as { failed: number }).failed)).toEqual([failedBefore]);
  });
});
