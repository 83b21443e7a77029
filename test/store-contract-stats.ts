/** Contract: stats come from trigger-kept counters and minute buckets, and must match the rows exactly. */
import { describe, expect, it } from 'vitest';
import { ManualClock, startOfLocalDay } from '../src/core/clock';
import type { ErrorKind } from '../src/shared/errors';
import type { ClaimedJob } from '../src/core/store/types';
import { HOST_WORKERS_FRESH_MS } from '../src/shared/stats';
import { countByStatus, file, type Harness, MB, ocrResult, seeded } from './store-contract';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export function defineStatsContract(h: Harness): void {
  describe('stats', () => {
    it('answers exactly like COUNT(*) after a long random mix of operations', async () => {
      const clock = new ManualClock();
      const rnd = seeded(20261128);
      const db = await h.fresh({ clock, random: rnd });
      const { store } = db;
      const held: { job: ClaimedJob; worker: string }[] = [];
      const kinds: ErrorKind[] = ['timeout', 'corrupt_file', 'engine_error', 'file_missing', 'worker_crashed'];
      let nextPath = 0;
      let completions = 0;
      const pick = <T>(xs: T[]): T | undefined => (xs.length ? xs[Math.floor(rnd() * xs.length)] : undefined);
      for (let step = 0; step < 400; step++) {
        const r = rnd();
        if (r < 0.15) {
          const batch = [];
          for (let i = 0, n = 1 + Math.floor(rnd() * 8); i < n; i++) {
            // Mostly new files, some re-listed (unchanged or changed) ones.
            const reuse = nextPath > 0 && rnd() < 0.3;
            const p = reuse ? Math.floor(rnd() * nextPath) : nextPath++;
            batch.push(file(`/f/${p}.png`, reuse && rnd() < 0.5 ? 5000 + step : 1000 + (p % 3) * 3 * MB));
          }
          await store.enqueueBatch(batch);
        } else if (r < 0.45) {
          const worker = `w${Math.floor(rnd() * 3)}`;
          const job = await store.claim(worker);
          if (job) held.push({ job, worker });
        } else if (r < 0.65) {
          const i = Math.floor(rnd() * held.length);
          const h0 = held.splice(i, 1)[0];
          if (h0 && (await store.complete(h0.job.jobId, rnd() < 0.9 ? h0.worker : 'intruder', ocrResult(1 + Math.floor(rnd() * 3))))) {
            completions++;
          }
        } else if (r < 0.77) {
          const i = Math.floor(rnd() * held.length);
          const h0 = held.splice(i, 1)[0];
          if (h0) await store.fail(h0.job.jobId, h0.worker, { kind: pick(kinds)!, message: `step ${step}` });
        } else if (r < 0.82) {
          clock.advance(Math.floor(rnd() * 3 * MIN));
          await store.recoverStale(MIN);
        } else if (r < 0.86) {
          await store.requeue(rnd() < 0.5 ? {} : { kind: pick(kinds)! });
        } else if (r < 0.89) {
          const h0 = pick(held);
          if (h0) await store.cancel({ jobId: h0.job.jobId });
        } else if (r < 0.9) {
          await store.cancel({ allPending: true });
        } else if (r < 0.93) {
          await store.cleanup(Math.floor(rnd() * 2 * HOUR));
        } else if (r < 0.96) {
          await store.setPaused(rnd() < 0.3);
        } else {
          clock.advance(Math.floor(rnd() * 20 * MIN));
        }
        if (step % 50 === 49) {
          const s = await store.stats();
          const c = await countByStatus(db);
          expect([s.pending, s.processing, s.completed, s.failed, s.cancelled]).toEqual([
            c.pending,
            c.processing,
            c.completed,
            c.failed,
            c.cancelled,
          ]);
        }
      }
      const s = await store.stats();
      const c = await countByStatus(db);
      expect({ pending: s.pending, processing: s.processing, completed: s.completed, failed: s.failed, cancelled: s.cancelled }).toEqual(c);
      expect(c.pending + c.processing + c.completed + c.failed + c.cancelled).toBeGreaterThan(50);
      expect(completions).toBeGreaterThan(20);
      expect(c.failed + c.cancelled).toBeGreaterThan(0);
      // Every document mirrors its live or latest job's status.
      const mismatched = await db.sql(
        `SELECT COUNT(*) AS n FROM documents d JOIN ocr_queue q ON q.document_id = d.id
         WHERE q.status IN ('pending', 'processing') AND q.status <> d.ocr_status`,
      );
      expect(Number(mismatched[0]!.n)).toBe(0);
    });

    it('carries what each running host allows (the power policy) until it withdraws or stops writing', async () => {
      const clock = new ManualClock(1_000_000);
      const { store } = await h.fresh({ clock });
      expect(await store.stats()).toMatchObject({ workersAllowed: null, throttleReason: null, hosts: [] });

      await store.publishHostWorkers({ hostId: 'box/10', workersAllowed: 1, fullWorkers: 4, throttleReason: '1 of 4 workers: on battery (43%)' });
      expect(await store.stats()).toMatchObject({
        workersAllowed: 1,
        throttleReason: '1 of 4 workers: on battery (43%)',
        hosts: [{ hostId: 'box/10', workersAllowed: 1, fullWorkers: 4, throttleReason: '1 of 4 workers: on battery (43%)' }],
      });

      // Written again: the row is replaced, not added. A second host at full speed.
      clock.advance(1000);
      await store.publishHostWorkers({ hostId: 'box/10', workersAllowed: 4, fullWorkers: 4, throttleReason: null });
      await store.publishHostWorkers({ hostId: 'abc/7', workersAllowed: 2, fullWorkers: 2, throttleReason: null });
      let s = await store.stats();
      expect([s.workersAllowed, s.throttleReason, s.hosts.map((x) => x.hostId)]).toEqual([6, null, ['abc/7', 'box/10']]);

      // Several hosts: each throttled one is named.
      await store.publishHostWorkers({ hostId: 'abc/7', workersAllowed: 0, fullWorkers: 2, throttleReason: 'paused: battery low (15%, pauses below 20%)' });
      s = await store.stats();
      expect([s.workersAllowed, s.throttleReason]).toEqual([4, 'abc/7: paused: battery low (15%, pauses below 20%)']);

      // A host that withdraws is gone at once; one that stops writing is gone once its row is stale.
      await store.withdrawHostWorkers('abc/7');
      expect((await store.stats()).hosts.map((x) => x.hostId)).toEqual(['box/10']);
      clock.advance(HOST_WORKERS_FRESH_MS);
      expect((await store.stats()).workersAllowed).toBe(4);
      clock.advance(1);
      expect(await store.stats()).toMatchObject({ workersAllowed: null, throttleReason: null, hosts: [] });
    });

    it('reports completed today and in the last hour, the average wait and the oldest pending job', async () => {
      // 10:00 local time, so the whole scenario stays within one local day whatever the time zone.
      const t0 = startOfLocalDay(Date.UTC(2026, 0, 15, 12)) + 10 * HOUR;
      const clock = new ManualClock(t0);
      const { store } = await h.fresh({ clock, random: () => 0 });
      expect(await store.stats()).toEqual({
        pending: 0,
        processing: 0,
        failed: 0,
        completed_today: 0,
        avg_wait_time_minutes: 0,
        oldest_pending_minutes: 0,
        completed: 0,
        cancelled: 0,
        completed_last_hour: 0,
        paused: false,
        in_progress: [],
        workersAllowed: null,
        throttleReason: null,
        hosts: [],
      });
      await store.enqueueBatch([file('/a.png'), file('/b.png'), file('/c.png'), file('/d.png')]);
      clock.advance(10 * MIN);
      let s = await store.stats();
      expect([s.pending, s.oldest_pending_minutes, s.avg_wait_time_minutes]).toEqual([4, 10, 0]);

      const a = (await store.claim('w'))!; // waited 10 min
      clock.advance(2 * MIN);
      const b = (await store.claim('w'))!; // waited 12 min
      clock.advance(30_000);
      await store.complete(a.jobId, 'w', ocrResult(1));
      await store.complete(b.jobId, 'w', ocrResult(1));
      // c fails transiently: it backs off 5 s (random 0), then waits 3 more minutes once due.
      const c = (await store.claim('w'))!; // waited 12.5 min
      const retry = await store.fail(c.jobId, 'w', { kind: 'engine_error', message: 'x' });
      clock.set((retry as { runAfter: number }).runAfter + 3 * MIN);
      const c2 = (await store.claim('w'))!;
      expect(c2.jobId).toBe(c.jobId);
      s = await store.stats();
      // Waits: 10, 12, 12.5, 3 minutes -> 37.5 / 4.
      expect(s).toMatchObject({ pending: 1, processing: 1, completed: 2, completed_today: 2, completed_last_hour: 2, avg_wait_time_minutes: 9.38 });
      // d was enqueued at t0 and is still pending.
      expect(s.oldest_pending_minutes).toBe(Math.round(((clock.now() - t0) / MIN) * 100) / 100);

      clock.advance(61 * MIN);
      await store.complete(c2.jobId, 'w', ocrResult(1));
      s = await store.stats();
      expect([s.completed_today, s.completed_last_hour, s.avg_wait_time_minutes]).toEqual([3, 1, 0]);

      clock.set(startOfLocalDay(t0) + DAY + HOUR); // 01:00 the next day
      s = await store.stats();
      expect([s.completed_today, s.completed_last_hour, s.completed, s.pending]).toEqual([0, 0, 3, 1]);
      await store.cancel({ allPending: true });
      s = await store.stats();
      expect([s.pending, s.oldest_pending_minutes, s.cancelled]).toEqual([0, 0, 1]);
    });
  });
}
