import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mirroredBase } from '../../src/core/export/export';
import { releaseJobsOfDeadLocalHosts, parseWorkerId, workerIdFor } from '../../src/core/pool/host-id';
import { silentLogger } from '../../src/core/logger';
import { ftsQuery } from '../../src/core/store/sqlite/listings';
import type { OcrResult } from '../../src/core/store/types';
import { tempDir } from '../helpers';
import { jobsOf, openStore } from './harness';

function result(text: string, hash: string | null): OcrResult {
  const pages = text.split('\f').map((t, i) => ({ pageNo: i + 1, text: t, confidence: 80, source: 'ocr' as const }));
  return { text, pages, confidence: 80, engine: 'test', languages: 'eng', processingTimeMs: 5, contentHash: hash };
}

async function enqueue(store: ReturnType<typeof openStore>, ...paths: string[]) {
  await store.enqueueBatch(paths.map((path) => ({ path, size: 10, mtimeMs: 1, kind: 'image/png' })));
}

describe('JobStore additions (SQLite)', () => {
  it('finds a completed result by content hash, with its pages', async () => {
    const store = openStore(tempDir());
    await enqueue(store, '/s/a.png', '/s/b.png');
    const a = (await store.claim('w'))!;
    expect(await store.findCompletedByHash('h1')).toBeNull();
    await store.complete(a.jobId, 'w', result('one\ftwo', 'h1'));
    expect(await store.findCompletedByHash('h1')).toMatchObject({
      text: 'one\ftwo',
      engine: 'test',
      contentHash: 'h1',
      pages: [expect.objectContaining({ pageNo: 1, text: 'one' }), expect.objectContaining({ pageNo: 2, text: 'two' })],
    });
    expect(await store.findCompletedByHash('other')).toBeNull();
  });

  it('releases a held job without counting the attempt, and only for its holder', async () => {
    const store = openStore(tempDir());
    await enqueue(store, '/s/a.png');
    const job = (await store.claim('w1'))!;
    await store.progress(job.jobId, 'w1', 2, 5);
    expect(await store.release(job.jobId, 'someone-else')).toBe(false);
    expect(await store.release(job.jobId, 'w1')).toBe(true);
    expect(await store.release(job.jobId, 'w1')).toBe(false);
    expect(await store.getJob(job.jobId)).toMatchObject({ status: 'pending', attempts: 0, workerId: null });
    expect((await store.getDocumentByPath('/s/a.png'))!.ocrStatus).toBe('pending');
    expect((await store.claim('w2'))!.attempts).toBe(1);
  });

  it('lists processing jobs with page progress in stats', async () => {
    const store = openStore(tempDir());
    await enqueue(store, '/s/a.png', '/s/b.png');
    expect((await store.stats()).in_progress).toEqual([]);
    const a = (await store.claim('w1'))!;
    await store.progress(a.jobId, 'w1', 3, 40);
    expect((await store.stats()).in_progress).toEqual([
      expect.objectContaining({ jobId: a.jobId, path: a.path, workerId: 'w1', page: 3, pages: 40, attempts: 1 }),
    ]);
  });

  it('searches words safely and pages through completed documents', async () => {
    const store = openStore(tempDir());
    await enqueue(store, '/s/a.png', '/s/b.png', '/s/c.png');
    for (const text of ['the quick brown fox', 'a lazy dog', 'quick thinking']) {
      const j = (await store.claim('w'))!;
      await store.complete(j.jobId, 'w', result(text, null));
    }
    expect((await store.search('quick', 10)).map((h) => h.path).sort()).toEqual(['/s/a.png', '/s/c.png']);
    expect(await store.search('quick fox', 10)).toEqual([expect.objectContaining({ path: '/s/a.png', snippet: expect.stringContaining('\u0002quick\u0003') })]);
    expect((await store.search('laz*', 10)).map((h) => h.path)).toEqual(['/s/b.png']);
    for (const q of ['"', 'NEAR(', 'a:b', '-', 'AND OR NOT', '*', '']) await expect(store.search(q, 10)).resolves.toBeInstanceOf(Array);
    expect(ftsQuery('say "hi" now*')).toBe('"say" "hi" "now"*');

    const first = await store.listCompleted(null, 2);
    expect(first.map((d) => d.path)).toEqual(['/s/a.png', '/s/b.png']);
    expect((await store.listCompleted(first[1]!.path, 2)).map((d) => d.path)).toEqual(['/s/c.png']);
    expect(await store.getPages(first[0]!.id)).toEqual([{ pageNo: 1, text: 'the quick brown fox', confidence: 80, source: 'ocr' }]);
  });

  it('honours a shorter backoff base', async () => {
    const store = openStore(tempDir(), 1000);
    await enqueue(store, '/s/a.png');
    const j = (await store.claim('w'))!;
    const before = Date.now();
    const out = await store.fail(j.jobId, 'w', { kind: 'timeout', message: 'slow' });
    expect(out.status).toBe('retry');
    const wait = (out as { runAfter: number }).runAfter - before;
    expect(wait).toBeGreaterThanOrEqual(400);
    expect(wait).toBeLessThanOrEqual(1100);
  });
});

describe('recovering jobs of a dead host process on this machine', () => {
  it('releases jobs of dead local pids only', async () => {
    const store = openStore(tempDir());
    await enqueue(store, '/s/dead.png', '/s/alive.png', '/s/remote.png', '/s/self.png', '/s/legacy.png');
    const self = { host: 'box', pid: 100 };
    const ids = [workerIdFor({ host: 'box', pid: 200 }, 1), workerIdFor({ host: 'box', pid: 300 }, 1), workerIdFor({ host: 'other', pid: 200 }, 1), workerIdFor(self, 4), 'worker-7'];
    for (const id of ids) await store.claim(id);
    expect(parseWorkerId(ids[0]!)).toEqual({ host: 'box', pid: 200 });
    const released = await releaseJobsOfDeadLocalHosts(store, self, silentLogger, (pid) => pid === 300);
    expect(released).toBe(1);
    expect(jobsOf(store).map((j) => [j.path, j.status, j.attempts])).toEqual([
      ['/s/alive.png', 'processing', 1],
      ['/s/dead.png', 'pending', 0],
      ['/s/legacy.png', 'processing', 1],
      ['/s/remote.png', 'processing', 1],
      ['/s/self.png', 'processing', 1],
    ]);
  });
});

describe('export paths', () => {
  it('mirrors absolute paths under the folder and refuses any that escape it', () => {
    const out = tempDir();
    expect(mirroredBase(out, '/scans/2024/a.png')).toBe(join(out, 'scans', '2024', 'a.png'));
    expect(mirroredBase(out, '/scans/../etc/x')).toBe(join(out, 'etc', 'x'));
    expect(mirroredBase(out, '/scans/../../etc/passwd')).toBeNull();
    expect(mirroredBase(out, '/')).toBeNull();
  });
});
