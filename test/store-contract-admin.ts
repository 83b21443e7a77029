/** Contract: stale recovery, requeue, cancel, cleanup, database guarantees, settings and lookups. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock';
import { tooNewMessage } from '../src/core/store/migrations';
import { file, type Harness, ocrResult } from './store-contract';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function defineAdminContract(h: Harness): void {
  describe('recoverStale', () => {
    it('requeues jobs whose lease ran out, fails them on the last attempt, and leaves live leases alone', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock, random: () => 0 });
      await store.enqueueBatch([file('/a.png'), file('/b.png'), file('/c.png')]);
      const a = (await store.claim('dead'))!;
      const b = (await store.claim('alive'))!;
      clock.advance(50_000);
      await store.heartbeat(b.jobId, 'alive');
      clock.advance(20_000); // a: 70 s without heartbeat; b: 20 s
      expect(await store.recoverStale(60_000)).toEqual({ requeued: 1, failed: 0 });
      expect(await store.getJob(a.jobId)).toMatchObject({ status: 'pending', workerId: null, errorKind: 'worker_crashed', attempts: 1 });
      expect((await store.getJob(b.jobId))!.status).toBe('processing');
      expect(await store.heartbeat(a.jobId, 'dead')).toBe(false);
      expect(await store.complete(a.jobId, 'dead', ocrResult(1))).toBe(false);

      // Burn the remaining attempts of /a.png through crashes: the third one fails it for good.
      let outcome;
      for (let i = 0; i < 2; i++) {
        clock.advance(HOUR);
        await store.heartbeat(b.jobId, 'alive');
        const again = (await store.claim('dead'))!;
        expect(again.jobId).toBe(a.jobId);
        clock.advance(61_000);
        await store.heartbeat(b.jobId, 'alive');
        outcome = await store.recoverStale(60_000);
      }
      expect(outcome).toEqual({ requeued: 0, failed: 1 });
      expect(await store.getJob(a.jobId)).toMatchObject({ status: 'failed', attempts: 3, errorKind: 'worker_crashed' });
      expect((await store.getDocument(a.documentId))!.ocrStatus).toBe('failed');
      expect(await store.recoverStale(60_000)).toEqual({ requeued: 0, failed: 0 });
    });
  });

  describe('reclaim', () => {
    it('gives a job stale recovery requeued back to the worker still running it, same attempt; nothing else', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock, random: () => 0 });
      await store.enqueueBatch([file('/a.png'), file('/b.png'), file('/c.png')]);
      const a = (await store.claim('slept'))!;
      const b = (await store.claim('slept-too'))!;
      const c = (await store.claim('w'))!;
      // Held by a live worker: nothing to take back.
      expect(await store.reclaim(a.jobId, 'slept')).toBe(false);
      clock.advance(10 * 60_000); // the machine slept
      expect(await store.recoverStale(60_000)).toEqual({ requeued: 3, failed: 0 });

      expect(await store.reclaim(a.jobId, 'slept')).toBe(true);
      expect(await store.getJob(a.jobId)).toMatchObject({ status: 'processing', workerId: 'slept', attempts: 1, errorKind: null, errorMessage: null });
      expect((await store.getDocument(a.documentId))!.ocrStatus).toBe('processing');
      expect(await store.heartbeat(a.jobId, 'slept')).toBe(true);
      expect(await store.complete(a.jobId, 'slept', ocrResult(1))).toBe(true);
      expect(await store.getJob(a.jobId)).toMatchObject({ status: 'completed', attempts: 1 });

      // Claimed by another worker meanwhile, or cancelled: not ours any more.
      clock.advance(HOUR);
      const other = (await store.claim('other'))!;
      expect(other.jobId).toBe(b.jobId);
      expect(await store.reclaim(b.jobId, 'slept-too')).toBe(false);
      await store.cancel({ jobId: c.jobId });
      expect(await store.reclaim(c.jobId, 'w')).toBe(false);
      const s = await store.stats();
      expect([s.processing, s.completed, s.cancelled, s.pending]).toEqual([1, 1, 1, 0]);
    });

    it('takes back a job stale recovery failed on its last attempt while the machine slept; not one failed otherwise', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock, random: () => 0, maxAttempts: 1 });
      await store.enqueueBatch([file('/last.png'), file('/other.png')]);
      const last = (await store.claim('slept'))!;
      const other = (await store.claim('w'))!;
      clock.advance(10 * 60_000); // the machine slept; another host's maintenance ran meanwhile
      expect(await store.recoverStale(60_000)).toEqual({ requeued: 0, failed: 2 });
      expect((await store.stats()).failed).toBe(2);
      // Not this worker's: no.
      expect(await store.reclaim(other.jobId, 'slept')).toBe(false);
      expect(await store.reclaim(last.jobId, 'slept')).toBe(true);
      expect(await store.getJob(last.jobId)).toMatchObject({ status: 'processing', workerId: 'slept', attempts: 1, errorKind: null });
      expect((await store.getDocument(last.documentId))!.ocrStatus).toBe('processing');
      expect((await store.stats()).failed).toBe(1);
      expect(await store.complete(last.jobId, 'slept', ocrResult(1))).toBe(true);
      expect((await store.listFailures()).map((f) => f.path)).toEqual(['/other.png']);
      // A failure the user dismissed, or a file queued again meanwhile, stays as it is.
      expect(await store.dismissFailures({ jobId: other.jobId })).toBe(1);
      expect(await store.reclaim(other.jobId, 'w')).toBe(false);
    });
  });

  describe('requeueFailed', () => {
    it('really requeues failed jobs (all, by kind, by id) with attempts reset', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock });
      await store.enqueueBatch(['/1.png', '/2.png', '/3.png', '/4.png', '/5.png'].map((p) => file(p)));
      const kinds = ['corrupt_file', 'corrupt_file', 'unsupported_format', 'too_large'] as const;
      const jobs = [];
      for (const kind of kinds) {
        const j = (await store.claim('w'))!;
        await store.fail(j.jobId, 'w', { kind, message: kind });
        jobs.push(j);
      }
      const completed = (await store.claim('w'))!;
      await store.complete(completed.jobId, 'w', ocrResult(1));
      expect((await store.stats()).failed).toBe(4);

      clock.advance(1000);
      expect(await store.requeue({ kind: 'corrupt_file' })).toBe(2);
      expect(await store.getJob(jobs[0]!.jobId)).toMatchObject({
        status: 'pending',
        attempts: 0,
        runAfter: clock.now(),
        errorKind: null,
        errorMessage: null,
        startedAt: null,
        completedAt: null,
        workerId: null,
      });
      expect(await store.getDocument(jobs[0]!.documentId)).toMatchObject({ ocrStatus: 'pending', ocrError: null, ocrErrorKind: null });
      expect(await store.requeue({ jobId: jobs[3]!.jobId })).toBe(1);
      expect(await store.requeue({ jobId: completed.jobId })).toBe(0); // only failed jobs
      expect(await store.requeue({ kind: 'too_large' })).toBe(0);
      let s = await store.stats();
      expect([s.pending, s.failed, s.completed]).toEqual([3, 1, 1]);
      expect(await store.requeue()).toBe(1);
      expect(await store.requeue()).toBe(0);
      s = await store.stats();
      expect([s.pending, s.failed]).toEqual([4, 0]);
      const reclaimed = (await store.claim('w'))!;
      expect(reclaimed.attempts).toBe(1);
    });
  });

  describe('cancel', () => {
    it('cancels one job (pending or processing) or every pending job', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock });
      await store.enqueueBatch(['/1.png', '/2.png', '/3.png', '/4.png'].map((p) => file(p)));
      const running = (await store.claim('w'))!;
      const other = (await store.claim('w'))!;
      expect(await store.cancel({ jobId: running.jobId })).toBe(1);
      expect(await store.getJob(running.jobId)).toMatchObject({ status: 'cancelled', errorKind: 'cancelled', workerId: null, completedAt: clock.now() });
      expect(await store.getDocument(running.documentId)).toMatchObject({ ocrStatus: 'cancelled', ocrErrorKind: 'cancelled' });
      expect(await store.complete(running.jobId, 'w', ocrResult(1))).toBe(false); // the worker lost it
      expect(await store.cancel({ jobId: running.jobId })).toBe(0);
      expect(await store.cancel({ jobId: 'no-such-job' })).toBe(0);

      expect(await store.cancel({ allPending: true })).toBe(2);
      const s = await store.stats();
      expect([s.pending, s.processing, s.cancelled]).toEqual([0, 1, 3]);
      expect((await store.getJob(other.jobId))!.status).toBe('processing');
      expect(await store.claim('w')).toBeNull();
      // A cancelled document comes back when its file changes.
      expect((await store.enqueueBatch([file('/1.png', 5)])).enqueued).toBe(1);
    });
  });

  describe('cleanup', () => {
    it('deletes old completed job rows; documents keep their status and text', async () => {
      const clock = new ManualClock();
      const db = await h.fresh({ clock });
      const { store } = db;
      await store.enqueueBatch([file('/old.png'), file('/failed.png'), file('/new.png')]);
      const old = (await store.claim('w'))!;
      await store.complete(old.jobId, 'w', ocrResult(2, 'old'));
      const failed = (await store.claim('w'))!;
      await store.fail(failed.jobId, 'w', { kind: 'corrupt_file', message: 'bad' });
      clock.advance(6 * DAY);
      const recent = (await store.claim('w'))!;
      await store.complete(recent.jobId, 'w', ocrResult(1, 'new'));
      clock.advance(2 * DAY);

      expect(await store.cleanup(7 * DAY)).toBe(1);
      expect(await store.getJob(old.jobId)).toBeNull();
      expect(await store.getJob(recent.jobId)).not.toBeNull();
      expect(await store.getJob(failed.jobId)).not.toBeNull();
      expect(await store.getDocument(old.documentId)).toMatchObject({ ocrStatus: 'completed', text: 'old 1\fold 2', pageCount: 2 });
      expect((await db.sql('SELECT COUNT(*) AS n FROM document_pages WHERE document_id = ?', [old.documentId]))[0]!.n).toEqual(2);
      const s = await store.stats();
      expect([s.completed, s.failed, s.pending]).toEqual([1, 1, 0]);
      expect(await store.cleanup(7 * DAY)).toBe(0);
      // An unchanged file whose job row was cleaned up is still "unchanged".
      expect((await store.enqueueBatch([file('/old.png')])).outcomes).toEqual(['unchanged']);
    });
  });

  describe('database guarantees', () => {
    it('the database itself refuses a second live job for a document', async () => {
      const clock = new ManualClock();
      const db = await h.fresh({ clock });
      await db.store.enqueueBatch([file('/a.png')]);
      const doc = (await db.store.getDocumentByPath('/a.png'))!;
      const insert = (id: string, status: string) =>
        db.sql(
          `INSERT INTO ocr_queue (id, document_id, status, priority, attempts, max_attempts, created_at, file_size, run_after)
           VALUES (?, ?, ?, 10, 0, 3, 0, 1, 0)`,
          [id, doc.id, status],
        );
      await expect(insert('dup-pending', 'pending')).rejects.toThrow(/unique/i);
      await expect(insert('dup-processing', 'processing')).rejects.toThrow(/unique/i);
      await insert('history', 'completed'); // finished jobs are history, any number of them
      const j = (await db.store.claim('w'))!;
      await expect(insert('dup-while-processing', 'pending')).rejects.toThrow(/unique/i);
      await db.store.complete(j.jobId, 'w', ocrResult(1));
      await insert('now-allowed', 'pending');
    });

    it('refuses a database written by a newer Quire', async () => {
      const clock = new ManualClock();
      const db = await h.fresh({ clock });
      const rows = await db.sql('SELECT id FROM schema_migrations ORDER BY id');
      expect(rows.map((r) => Number(r.id))).toEqual([1, 2, 3, 4, 5]);
      await db.sql(`INSERT INTO schema_migrations (id, name, checksum, applied_at) VALUES (999, 'future', 'x', 0)`);
      const err = await db.reopen({ clock }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ name: 'QuireError', code: 'database_too_new' });
      const msg = (err as Error).message;
      expect(msg).toBe(tooNewMessage(999, 5, msg.slice(msg.indexOf(' at ') + 4, msg.indexOf(' was written'))));
    });

    it('reopening an up-to-date database applies nothing and keeps the data', async () => {
      const clock = new ManualClock();
      const db = await h.fresh({ clock });
      await db.store.enqueueBatch([file('/a.png')]);
      const again = await db.reopen({ clock });
      expect((await again.stats()).pending).toBe(1);
      expect((await db.sql('SELECT COUNT(*) AS n FROM schema_migrations'))[0]!.n).toEqual(5);
    });
  });

  describe('settings and lookups', () => {
    it('stores JSON values and lists them by key', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      expect(await store.getSetting('missing')).toBeUndefined();
      await store.setSetting('concurrent_ocr_jobs', 2);
      await store.setSetting('enable_background_ocr', false);
      await store.setSetting('folders', [{ path: '/x', recursive: true }]);
      await store.setSetting('concurrent_ocr_jobs', 3);
      expect(await store.getSetting('concurrent_ocr_jobs')).toBe(3);
      expect(await store.listSettings()).toEqual({
        concurrent_ocr_jobs: 3,
        enable_background_ocr: false,
        folders: [{ path: '/x', recursive: true }],
      });
      await store.setPaused(true);
      expect((await store.listSettings()).queue_paused).toBe(true);
    });

    it('returns null for unknown ids and paths', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      expect(await store.getJob('nope')).toBeNull();
      expect(await store.getDocument('nope')).toBeNull();
      expect(await store.getDocumentByPath('/nope')).toBeNull();
      expect(await store.listFailures()).toEqual([]);
    });
  });
}
