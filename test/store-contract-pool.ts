/** Contract: what the worker pool and the CLI read and write (dedupe by hash, release, progress, search, export paging). */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock';
import { backoffMs } from '../src/core/queue/backoff';
import type { JobStore } from '../src/core/store/types';
import type { OcrResult } from '../src/shared/results';
import { file, type Harness } from './store-contract';

export function textResult(text: string, hash: string | null): OcrResult {
  const pages = text.split('\f').map((t, i) => ({ pageNo: i + 1, text: t, confidence: 80, source: 'ocr' as const }));
  return { text, pages, confidence: 80, engine: 'test', languages: 'eng', processingTimeMs: 5, contentHash: hash };
}

async function enqueue(store: JobStore, ...paths: string[]): Promise<void> {
  await store.enqueueBatch(paths.map((p) => file(p, 10)));
}

export function definePoolContract(h: Harness): void {
  describe('pool additions', () => {
    it('finds a completed result by content hash, with its pages', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      await enqueue(store, '/s/a.png', '/s/b.png');
      const a = (await store.claim('w'))!;
      expect(await store.findCompletedByHash('h1')).toBeNull();
      await store.complete(a.jobId, 'w', textResult('one\ftwo', 'h1'));
      expect(await store.findCompletedByHash('h1')).toEqual({
        text: 'one\ftwo',
        engine: 'test',
        languages: 'eng',
        confidence: 80,
        processingTimeMs: 5,
        contentHash: 'h1',
        pages: [
          { pageNo: 1, text: 'one', confidence: 80, source: 'ocr' },
          { pageNo: 2, text: 'two', confidence: 80, source: 'ocr' },
        ],
      });
      expect(await store.findCompletedByHash('other')).toBeNull();
    });

    it('releases a held job without counting the attempt, and only for its holder', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      await enqueue(store, '/s/a.png');
      const job = (await store.claim('w1'))!;
      await store.progress(job.jobId, 'w1', 2, 5);
      expect(await store.release(job.jobId, 'someone-else')).toBe(false);
      expect(await store.release(job.jobId, 'w1')).toBe(true);
      expect(await store.release(job.jobId, 'w1')).toBe(false);
      expect(await store.getJob(job.jobId)).toMatchObject({ status: 'pending', attempts: 0, workerId: null, startedAt: null });
      expect((await store.getDocumentByPath('/s/a.png'))!.ocrStatus).toBe('pending');
      expect((await store.stats()).processing).toBe(0);
      expect((await store.claim('w2'))!.attempts).toBe(1);
    });

    it('lists processing jobs with page progress, oldest heartbeat first, and in stats', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock });
      await enqueue(store, '/s/a.png', '/s/b.png', '/s/c.png');
      expect((await store.stats()).in_progress).toEqual([]);
      const a = (await store.claim('w1'))!;
      clock.advance(1000);
      const b = (await store.claim('w2'))!;
      clock.advance(1000);
      await store.progress(a.jobId, 'w1', 3, 40);
      const expected = [
        { jobId: b.jobId, documentId: b.documentId, path: b.path, workerId: 'w2', startedAt: clock.now() - 1000, heartbeatAt: clock.now() - 1000, attempts: 1, page: null, pages: null },
        { jobId: a.jobId, documentId: a.documentId, path: a.path, workerId: 'w1', startedAt: clock.now() - 2000, heartbeatAt: clock.now(), attempts: 1, page: 3, pages: 40 },
      ];
      expect(await store.listProcessing()).toEqual(expected);
      expect(await store.listProcessing(1)).toEqual(expected.slice(0, 1));
      expect((await store.stats()).in_progress).toEqual(expected);
    });

    it('searches words safely and pages through completed documents', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      await enqueue(store, '/s/a.png', '/s/b.png', '/s/c.png', '/s/d.png');
      for (const text of ['the quick brown fox', 'a lazy dog', 'quick thinking']) {
        const j = (await store.claim('w'))!;
        await store.complete(j.jobId, 'w', textResult(text, null));
      }
      expect((await store.search('quick', 10)).map((x) => x.path).sort()).toEqual(['/s/a.png', '/s/c.png']);
      expect(await store.search('QUICK fox', 10)).toEqual([
        { documentId: expect.any(String), path: '/s/a.png', pageCount: 1, snippet: expect.stringContaining('\u0002quick\u0003') },
      ]);
      expect((await store.search('laz*', 10)).map((x) => x.path)).toEqual(['/s/b.png']);
      expect(await store.search('quick', 1)).toHaveLength(1);
      for (const q of ['"', 'NEAR(', 'a:b', '-', 'AND OR NOT', '*', '', "it's", '!(&|)']) {
        await expect(store.search(q, 10)).resolves.toBeInstanceOf(Array);
      }
      expect(await store.search('*', 10)).toEqual([]);

      const first = await store.listCompleted(null, 2);
      expect(first.map((d) => d.path)).toEqual(['/s/a.png', '/s/b.png']);
      expect((await store.listCompleted(first[1]!.path, 2)).map((d) => d.path)).toEqual(['/s/c.png']);
      expect(await store.getPages(first[0]!.id)).toEqual([{ pageNo: 1, text: 'the quick brown fox', confidence: 80, source: 'ocr' }]);
      expect(await store.getPages('no-such-document')).toEqual([]);
    });

    it('honours a shorter backoff base', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock, random: () => 0.5, backoffBaseMs: 1000 });
      await enqueue(store, '/s/a.png');
      const j = (await store.claim('w'))!;
      const out = await store.fail(j.jobId, 'w', { kind: 'timeout', message: 'slow' });
      expect(out).toEqual({ status: 'retry', runAfter: clock.now() + backoffMs(1, () => 0.5, 1000) });
      expect(backoffMs(1, () => 0.5, 1000)).toBe(750);
    });
  });
}
