/** Contract: enqueue, claim, pause, lease, completion, failure. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock';
import { nominalBackoffMs } from '../src/core/queue/backoff';
import { file, type Harness, MB, ocrResult } from './store-contract';

const HOUR = 3_600_000;

export function defineQueueContract(h: Harness): void {
  describe('enqueueBatch', () => {
    it('reports new, unchanged, changed and already-queued files, in input order', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      const first = await store.enqueueBatch([file('/a.png'), file('/b.png'), file('/c.png')]);
      expect(first).toEqual({ enqueued: 3, unchanged: 0, alreadyQueued: 0, requeued: 0, outcomes: ['enqueued', 'enqueued', 'enqueued'] });

      // b changed while its job is still pending; c unchanged; d new.
      const second = await store.enqueueBatch([file('/b.png', 2000), file('/c.png'), file('/d.png')]);
      expect(second).toEqual({
        enqueued: 1,
        unchanged: 1,
        alreadyQueued: 1,
        requeued: 0,
        outcomes: ['already_queued', 'unchanged', 'enqueued'],
      });
      const b = await store.getDocumentByPath('/b.png');
      expect(b).toMatchObject({ size: 2000, ocrStatus: 'pending', contentHash: null });
      expect((await store.stats()).pending).toBe(4);
    });

    it('enqueues a changed file again once its job is finished, superseding a failed job', async () => {
      const clock = new ManualClock();
      const db = await h.fresh({ clock });
      const { store } = db;
      await store.enqueueBatch([file('/a.png'), file('/b.png')]);
      const a = (await store.claim('w1'))!;
      expect(await store.complete(a.jobId, 'w1', ocrResult(1))).toBe(true);
      const b = (await store.claim('w1'))!;
      expect(await store.fail(b.jobId, 'w1', { kind: 'corrupt_file', message: 'bad' })).toEqual({ status: 'failed' });

      const r = await store.enqueueBatch([file('/a.png', 5000), file('/b.png', 6000, 1_700_000_000_500)]);
      expect(r.outcomes).toEqual(['enqueued', 'enqueued']);
      const docB = (await store.getDocumentByPath('/b.png'))!;
      expect(docB).toMatchObject({ ocrStatus: 'pending', ocrError: null, ocrErrorKind: null, mtimeMs: 1_700_000_000_500 });
      const jobsOfB = await db.sql('SELECT status FROM ocr_queue WHERE document_id = ?', [docB.id]);
      expect(jobsOfB.map((x) => x.status)).toEqual(['pending']); // the failed row is gone
      const docA = (await store.getDocumentByPath('/a.png'))!;
      const jobsOfA = await db.sql('SELECT status FROM ocr_queue WHERE document_id = ? ORDER BY status', [docA.id]);
      expect(jobsOfA.map((x) => x.status)).toEqual(['completed', 'pending']); // history kept until cleanup
      expect(docA.ocrStatus).toBe('pending');
      expect(docA.text).toBe('page 1'); // the previous text stays until the new run completes
    });

    it('treats a path listed twice in one batch like two batches', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      const r = await store.enqueueBatch([file('/a.png'), file('/a.png'), file('/a.png', 7)]);
      expect(r.outcomes).toEqual(['enqueued', 'unchanged', 'already_queued']);
      expect((await store.getDocumentByPath('/a.png'))!.size).toBe(7);
      const s = await store.stats();
      expect(s.pending).toBe(1);
      const job = (await store.claim('w'))!;
      expect(job.fileSize).toBe(1000);
    });

    it('sets priority by size, truncates mtime, and records the document', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock });
      const sizes = [1 * MB, 1 * MB + 1, 5 * MB, 10 * MB, 50 * MB, 50 * MB + 1];
      await store.enqueueBatch(sizes.map((s, i) => file(`/f${i}.pdf`, s, 1_700_000_000_123.9, 'application/pdf')));
      const got: number[] = [];
      for (;;) {
        const j = await store.claim('w');
        if (!j) break;
        got.push(j.priority);
        expect(j.kind).toBe('application/pdf');
        expect(j.maxAttempts).toBe(3);
      }
      expect(got).toEqual([10, 8, 8, 6, 4, 2]);
      const d = (await store.getDocumentByPath('/f0.pdf'))!;
      expect(d).toMatchObject({ size: MB, mtimeMs: 1_700_000_000_123, kind: 'application/pdf', text: null, pageCount: null });
    });

    it('an empty batch is a no-op', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      expect(await store.enqueueBatch([])).toEqual({ enqueued: 0, unchanged: 0, alreadyQueued: 0, requeued: 0, outcomes: [] });
    });
  });

  describe('claim', () => {
    it('hands out jobs by priority, then age, then insertion order, and skips jobs backing off', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock, random: () => 0 });
      await store.enqueueBatch([file('/old-big.pdf', 20 * MB), file('/old-1.png'), file('/old-2.png')]);
      clock.advance(1000);
      await store.enqueueBatch([file('/new-small.png'), file('/new-big.pdf', 20 * MB)]);
      const order: string[] = [];
      // The first claimed job fails transiently and backs off: it must not come back before run_after.
      const first = (await store.claim('w'))!;
      expect(first.path).toBe('/old-1.png');
      const retry = await store.fail(first.jobId, 'w', { kind: 'engine_error', message: 'boom' });
      expect(retry.status).toBe('retry');
      for (;;) {
        const j = await store.claim('w');
        if (!j) break;
        order.push(j.path);
      }
      expect(order).toEqual(['/old-2.png', '/new-small.png', '/old-big.pdf', '/new-big.pdf']);
      expect(await store.claim('w')).toBeNull();
      clock.set((retry as { runAfter: number }).runAfter);
      expect((await store.claim('w'))!.path).toBe('/old-1.png');
    });

    it('sets the lease fields, counts the attempt and mirrors the status into the document', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock });
      await store.enqueueBatch([file('/a.png', 4321)]);
      clock.advance(5000);
      const j = (await store.claim('worker-7'))!;
      expect(j).toMatchObject({ path: '/a.png', kind: 'image/png', fileSize: 4321, attempts: 1, maxAttempts: 3, priority: 10 });
      const row = (await store.getJob(j.jobId))!;
      expect(row).toMatchObject({
        status: 'processing',
        workerId: 'worker-7',
        startedAt: clock.now(),
        heartbeatAt: clock.now(),
        attempts: 1,
        documentId: j.documentId,
        completedAt: null,
      });
      expect((await store.getDocument(j.documentId))!.ocrStatus).toBe('processing');
      expect(await store.claim('worker-8')).toBeNull();
    });

    it('returns null while paused, and the pause survives a restart', async () => {
      const clock = new ManualClock();
      const db = await h.fresh({ clock });
      await db.store.enqueueBatch([file('/a.png')]);
      expect(await db.store.isPaused()).toBe(false);
      await db.store.setPaused(true);
      expect(await db.store.claim('w')).toBeNull();
      const again = await db.reopen({ clock });
      expect(await again.isPaused()).toBe(true);
      expect(await again.claim('w')).toBeNull();
      expect((await again.stats()).paused).toBe(true);
      await again.setPaused(false);
      expect((await again.claim('w'))!.path).toBe('/a.png');
    });
  });

  describe('lease', () => {
    it('heartbeat and progress renew the lease for the holder only', async () => {
      const clock = new ManualClock();
      const db = await h.fresh({ clock });
      const { store } = db;
      await store.enqueueBatch([file('/a.png')]);
      const j = (await store.claim('w1'))!;
      clock.advance(10_000);
      expect(await store.heartbeat(j.jobId, 'w1')).toBe(true);
      expect((await store.getJob(j.jobId))!.heartbeatAt).toBe(clock.now());
      clock.advance(10_000);
      expect(await store.progress(j.jobId, 'w1', 2, 5)).toBe(true);
      const rows = await db.sql('SELECT heartbeat_at, progress_page, progress_pages FROM ocr_queue WHERE id = ?', [j.jobId]);
      expect(rows.map((r) => [Number(r.heartbeat_at), r.progress_page, r.progress_pages])).toEqual([[clock.now(), 2, 5]]);
      const before = clock.now();
      clock.advance(10_000);
      expect(await store.heartbeat(j.jobId, 'w2')).toBe(false);
      expect(await store.progress(j.jobId, 'w2', 3, 5)).toBe(false);
      expect(await store.heartbeat('no-such-job', 'w1')).toBe(false);
      expect((await store.getJob(j.jobId))!.heartbeatAt).toBe(before);
    });
  });

  describe('complete', () => {
    it('writes the job, the document and its pages together', async () => {
      const clock = new ManualClock();
      const db = await h.fresh({ clock });
      const { store } = db;
      await store.enqueueBatch([file('/a.pdf')]);
      const j = (await store.claim('w'))!;
      clock.advance(4000);
      expect(await store.complete(j.jobId, 'w', ocrResult(3))).toBe(true);
      expect(await store.getJob(j.jobId)).toMatchObject({
        status: 'completed',
        completedAt: clock.now(),
        processingTimeMs: 4000,
        heartbeatAt: null,
        errorMessage: null,
      });
      expect(await store.getDocument(j.documentId)).toMatchObject({
        ocrStatus: 'completed',
        ocrCompletedAt: clock.now(),
        text: 'page 1\fpage 2\fpage 3',
        pageCount: 3,
        confidence: 91.5,
        contentHash: 'ab'.repeat(32),
        ocrError: null,
      });
      const pages = await db.sql('SELECT page_no, text, confidence, source FROM document_pages WHERE document_id = ? ORDER BY page_no', [j.documentId]);
      expect(pages.map((p) => [p.page_no, p.text, p.confidence, p.source])).toEqual([
        [1, 'page 1', 90.25, 'ocr'],
        [2, 'page 2', 90.5, 'ocr'],
        [3, 'page 3', 90.75, 'ocr'],
      ]);

      // A later run of the same (changed) document replaces the pages, fewer now.
      await store.enqueueBatch([file('/a.pdf', 999)]);
      const j2 = (await store.claim('w'))!;
      const second = { ...ocrResult(1, 'again'), contentHash: null, confidence: null };
      second.pages[0]!.source = 'text_layer';
      second.pages[0]!.confidence = null;
      expect(await store.complete(j2.jobId, 'w', second)).toBe(true);
      const pages2 = await db.sql('SELECT page_no, text, confidence, source FROM document_pages WHERE document_id = ?', [j.documentId]);
      expect(pages2.map((p) => [p.page_no, p.text, p.confidence, p.source])).toEqual([[1, 'again 1', null, 'text_layer']]);
      expect(await store.getDocument(j.documentId)).toMatchObject({ text: 'again 1', pageCount: 1, confidence: null, contentHash: null });
    });

    it('is rejected for a worker that does not hold the job, and writes nothing', async () => {
      const clock = new ManualClock();
      const db = await h.fresh({ clock });
      const { store } = db;
      await store.enqueueBatch([file('/a.png')]);
      const j = (await store.claim('w1'))!;
      expect(await store.complete(j.jobId, 'w2', ocrResult(1))).toBe(false);
      expect((await store.getJob(j.jobId))!.status).toBe('processing');
      expect(await store.getDocument(j.documentId)).toMatchObject({ ocrStatus: 'processing', text: null, pageCount: null });
      expect(await db.sql('SELECT * FROM document_pages')).toEqual([]);
    });

    it('never completes a job twice, and a completed job cannot fail', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      await store.enqueueBatch([file('/a.png')]);
      const j = (await store.claim('w'))!;
      expect(await store.complete(j.jobId, 'w', ocrResult(1))).toBe(true);
      expect(await store.complete(j.jobId, 'w', ocrResult(2))).toBe(false);
      expect(await store.fail(j.jobId, 'w', { kind: 'timeout', message: 'late' })).toEqual({ status: 'rejected' });
      expect(await store.heartbeat(j.jobId, 'w')).toBe(false);
      const s = await store.stats();
      expect([s.completed, s.completed_today, s.processing]).toEqual([1, 1, 0]);
      expect((await store.getDocument(j.documentId))!.pageCount).toBe(1);
    });
  });

  describe('fail', () => {
    it('retries a transient failure after a backoff within [nominal/2, nominal]', async () => {
      for (const rnd of [0, 0.37, 0.999999]) {
        const clock = new ManualClock();
        const { store } = await h.fresh({ clock, random: () => rnd });
        await store.enqueueBatch([file('/a.png')]);
        for (let attempt = 1; attempt <= 2; attempt++) {
          const j = (await store.claim('w'))!;
          expect(j.attempts).toBe(attempt);
          const out = await store.fail(j.jobId, 'w', { kind: 'timeout', message: `slow ${attempt}` });
          expect(out.status).toBe('retry');
          const wait = (out as { runAfter: number }).runAfter - clock.now();
          const nominal = nominalBackoffMs(attempt);
          expect(wait).toBeGreaterThanOrEqual(nominal / 2);
          expect(wait).toBeLessThanOrEqual(nominal);
          expect(wait).toBe(Math.round(nominal / 2 + rnd * (nominal / 2)));
          expect(await store.getJob(j.jobId)).toMatchObject({
            status: 'pending',
            attempts: attempt,
            workerId: null,
            heartbeatAt: null,
            errorKind: 'timeout',
            errorMessage: `slow ${attempt}`,
            runAfter: clock.now() + wait,
          });
          expect(await store.getDocument(j.documentId)).toMatchObject({ ocrStatus: 'pending', ocrError: `slow ${attempt}`, ocrErrorKind: 'timeout' });
          expect(await store.claim('w')).toBeNull();
          clock.advance(wait);
        }
      }
    });

    it('fails a permanent error at once, and a transient one when attempts run out', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock, random: () => 0.5 });
      await store.enqueueBatch([file('/perm.png'), file('/flaky.png', 2 * MB)]);
      const p = (await store.claim('w'))!;
      expect(await store.fail(p.jobId, 'w', { kind: 'password_protected', message: 'locked' })).toEqual({ status: 'failed' });
      expect(await store.getJob(p.jobId)).toMatchObject({ status: 'failed', attempts: 1, completedAt: clock.now(), errorKind: 'password_protected' });
      expect(await store.getDocument(p.documentId)).toMatchObject({ ocrStatus: 'failed', ocrError: 'locked', ocrErrorKind: 'password_protected' });

      let last;
      for (let attempt = 1; attempt <= 3; attempt++) {
        clock.advance(HOUR);
        const j = (await store.claim('w'))!;
        expect(j.path).toBe('/flaky.png');
        last = await store.fail(j.jobId, 'w', { kind: 'out_of_memory', message: 'oom' });
        expect(last.status).toBe(attempt < 3 ? 'retry' : 'failed');
      }
      clock.advance(HOUR);
      expect(await store.claim('w')).toBeNull();
      const failures = await store.listFailures();
      expect(failures.map((f) => [f.path, f.kind, f.attempts])).toEqual([
        ['/flaky.png', 'out_of_memory', 3],
        ['/perm.png', 'password_protected', 1],
      ]);
      expect(failures[1]).toMatchObject({ jobId: p.jobId, documentId: p.documentId, message: 'locked', failedAt: expect.any(Number) });
    });

    it('is rejected for a worker that does not hold the job', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      await store.enqueueBatch([file('/a.png')]);
      const j = (await store.claim('w1'))!;
      expect(await store.fail(j.jobId, 'w2', { kind: 'corrupt_file', message: 'x' })).toEqual({ status: 'rejected' });
      expect((await store.getJob(j.jobId))!.status).toBe('processing');
    });
  });
}
