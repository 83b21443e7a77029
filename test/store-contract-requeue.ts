/**
 * Contract (issue 13, "every file accounted for"): cancelled files come back when added again,
 * requeue of failed and cancelled jobs (by status, kind, folder, ids), a requeued job's wait
 * counting from its requeue, dismissing failures, removing documents.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock';
import type { ErrorKind } from '../src/shared/errors';
import type { JobStore } from '../src/core/store/types';
import { countByStatus, file, type Harness, ocrResult } from './store-contract';

const MIN = 60_000;

/** Claims pending jobs and ends each (a transient kind fails for good only on the last attempt) as `ends` says, in claim order. */
async function settle(store: JobStore, ends: readonly (ErrorKind | 'completed')[]): Promise<void> {
  for (const end of ends) {
    const j = (await store.claim('w'))!;
    if (end === 'completed') await store.complete(j.jobId, 'w', ocrResult(1, `text of ${j.path}`));
    else await store.fail(j.jobId, 'w', { kind: end, message: end });
  }
}

export function defineRequeueContract(h: Harness): void {
  describe('enqueueBatch of cancelled files', () => {
    it('queues an unchanged cancelled file again (requeued), leaving unchanged completed and failed files alone', async () => {
      const clock = new ManualClock();
      const db = await h.fresh({ clock });
      const { store } = db;
      await store.enqueueBatch([file('/d/done.png'), file('/d/bad.png')]);
      await settle(store, ['completed', 'corrupt_file']);
      await store.enqueueBatch([file('/d/c1.png'), file('/d/c2.png')]);
      expect(await store.cancel({ allPending: true })).toBe(2);

      const r = await store.enqueueBatch([file('/d/done.png'), file('/d/bad.png'), file('/d/c1.png'), file('/d/c2.png'), file('/d/c1.png')]);
      expect(r).toEqual({
        enqueued: 0,
        unchanged: 3,
        alreadyQueued: 0,
        requeued: 2,
        outcomes: ['unchanged', 'unchanged', 'requeued', 'requeued', 'unchanged'],
      });
      const c1 = (await store.getDocumentByPath('/d/c1.png'))!;
      expect(c1).toMatchObject({ ocrStatus: 'pending', ocrErrorKind: null });
      expect(await countByStatus(db)).toMatchObject({ pending: 2, cancelled: 0, failed: 1, completed: 1 });
      const s = await store.stats();
      expect([s.pending, s.cancelled, s.failed]).toEqual([2, 0, 1]);
    });
  });

  describe('requeue', () => {
    it('puts cancelled jobs back (all, by folder, by id), never beside a live job', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock });
      await store.enqueueBatch(['/a/1.png', '/a/2.png', '/b/1.png', '/b/2.png'].map((p) => file(p)));
      expect(await store.cancel({ allPending: true })).toBe(4);
      expect(await store.requeue({ statuses: ['failed'] })).toBe(0); // cancelled are not failed

      expect(await store.requeue({ statuses: ['cancelled'], folder: '/a' })).toBe(2);
      expect((await store.getDocumentByPath('/a/1.png'))!.ocrStatus).toBe('pending');
      expect((await store.getDocumentByPath('/b/1.png'))!.ocrStatus).toBe('cancelled');

      const b1 = (await store.getDocumentByPath('/b/1.png'))!;
      const [b1Job] = (await store.listJobs({ status: 'cancelled', sort: 'path_asc', limit: 10 })).rows;
      expect(b1Job!.documentId).toBe(b1.id);
      expect(await store.requeue({ statuses: ['cancelled'], jobIds: [b1Job!.id] })).toBe(1);
      expect(await store.requeue({ statuses: ['cancelled'], jobIds: [] })).toBe(0);

      // /b/2.png changed and got a new job by ingest: its old cancelled row is gone, nothing doubles.
      await store.enqueueBatch([file('/b/2.png', 2000)]);
      expect(await store.requeue({ statuses: ['cancelled', 'failed'] })).toBe(0);
      const s = await store.stats();
      expect([s.pending, s.cancelled]).toEqual([4, 0]);
    });

    it('leaves excluded kinds alone and requeues the rest', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock, maxAttempts: 1 });
      await store.enqueueBatch(['/1.png', '/2.png', '/3.png'].map((p) => file(p)));
      await settle(store, ['corrupt_file', 'timeout', 'password_protected']);
      expect(await store.requeue({ statuses: ['failed'], excludeKinds: ['corrupt_file', 'password_protected'] })).toBe(1);
      expect((await store.getDocumentByPath('/2.png'))!.ocrStatus).toBe('pending');
      expect((await store.stats()).failed).toBe(2);
    });

    it('counts a requeued job as waiting from its requeue, not from its first creation', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock, maxAttempts: 1 });
      await store.enqueueBatch([file('/old.png'), file('/cancelled.png')]);
      await store.cancel({ jobId: (await store.listJobs({ sort: 'path_asc', limit: 1, pathSearch: 'cancelled' })).rows[0]!.id });
      await settle(store, ['timeout']);
      clock.advance(10 * 24 * 60 * MIN); // ten days later
      expect(await store.requeue({ statuses: ['failed', 'cancelled'] })).toBe(2);
      clock.advance(3 * MIN);
      expect((await store.stats()).oldest_pending_minutes).toBe(3);
      const j = (await store.claim('w'))!;
      expect((await store.getJob(j.jobId))!.createdAt).toBe(clock.now() - 3 * MIN);
      expect((await store.stats()).avg_wait_time_minutes).toBe(3);
    });
  });

  describe('dismissFailures', () => {
    it('takes failures out of the list and the count; an unchanged file stays dismissed, a changed one is read again', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock });
      await store.enqueueBatch(['/f/1.png', '/f/2.png', '/f/3.png', '/g/4.png'].map((p) => file(p)));
      await settle(store, ['corrupt_file', 'corrupt_file', 'too_large', 'corrupt_file']);
      const rows = await store.listFailures();
      expect(await store.dismissFailures({ jobId: rows[0]!.jobId })).toBe(1);
      expect(await store.dismissFailures({ jobId: rows[0]!.jobId })).toBe(0);
      expect(await store.dismissFailures({ kind: 'corrupt_file', folder: '/g' })).toBe(1);
      expect((await store.failureGroups()).map((g) => [g.kind, g.count])).toEqual([
        ['corrupt_file', 1],
        ['too_large', 1],
      ]);
      expect(await store.dismissFailures({})).toBe(2);
      expect((await store.stats()).failed).toBe(0);
      expect(await store.listFailures()).toEqual([]);
      // The document stays, with its reason; the file is not queued again until it changes.
      expect(await store.getDocumentByPath('/f/1.png')).toMatchObject({ ocrStatus: 'failed', ocrErrorKind: 'corrupt_file' });
      expect((await store.enqueueBatch([file('/f/1.png')])).outcomes).toEqual(['unchanged']);
      expect((await store.enqueueBatch([file('/f/2.png', 5000)])).outcomes).toEqual(['enqueued']);
      expect((await store.stats()).pending).toBe(1);
    });

    it('dismisses failed jobs only', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      await store.enqueueBatch([file('/1.png'), file('/2.png')]);
      await settle(store, ['completed']);
      expect(await store.dismissFailures({})).toBe(0);
      expect((await store.stats()).pending).toBe(1);
    });
  });

  describe('removeDocuments', () => {
    it('removes documents by path and by folder, with their jobs, pages and search entries; adding the file again reads it again', async () => {
      const clock = new ManualClock();
      const db = await h.fresh({ clock });
      const { store } = db;
      await store.enqueueBatch(['/r/a.png', '/r/sub/b.png', '/r2/c.png', '/keep/d.png'].map((p) => file(p)));
      await settle(store, ['completed', 'completed', 'corrupt_file', 'completed']);
      expect((await store.search('text', 10)).length).toBe(3);

      expect(await store.removeDocuments({ paths: ['/r2/c.png', '/nothing.png'], folders: ['/r'] })).toBe(3);
      expect(await store.removeDocuments({})).toBe(0);
      expect(await store.getDocumentByPath('/r/sub/b.png')).toBeNull();
      expect((await store.search('text', 10)).map((x) => x.path)).toEqual(['/keep/d.png']);
      const s = await store.stats();
      expect([s.completed, s.failed]).toEqual([1, 0]);
      expect(await db.sql('SELECT COUNT(*) AS n FROM document_pages')).toEqual([{ n: expect.anything() }]);
      expect(Number((await db.sql('SELECT COUNT(*) AS n FROM document_pages'))[0]!.n)).toBe(1);
      expect((await store.listJobs({ sort: 'path_asc', limit: 10 })).rows.map((r) => r.path)).toEqual(['/keep/d.png']);

      expect((await store.enqueueBatch([file('/r/a.png')])).outcomes).toEqual(['enqueued']);
    });

    it('drops a running job: its worker can no longer complete it', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      await store.enqueueBatch([file('/x.png')]);
      const j = (await store.claim('w'))!;
      expect(await store.removeDocuments({ paths: ['/x.png'] })).toBe(1);
      expect(await store.complete(j.jobId, 'w', ocrResult(1))).toBe(false);
      expect((await store.stats()).processing).toBe(0);
    });
  });
}
