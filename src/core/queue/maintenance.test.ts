import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_SQLITE, tempDir } from '../../../test/helpers';
import { ManualClock } from '../clock';
import { silentLogger } from '../logger';
import { loadMigrations } from '../store/migrations';
import { SqliteJobStore } from '../store/sqlite/store';
import { COMPLETED_RETENTION_MS, startMaintenance } from './maintenance';
import { queuePolicy } from './policy';

const result = { text: 'x', pages: [], confidence: null, engine: 't', languages: 'eng', processingTimeMs: 1, contentHash: null };

describe('maintenance', () => {
  it('recovers stale jobs and cleans up old completed rows, now and on its timers', async () => {
    const clock = new ManualClock();
    const store = new SqliteJobStore({ path: join(tempDir(), 'm.db'), migrations: loadMigrations(MIGRATIONS_SQLITE), clock, policy: queuePolicy() });
    await store.enqueueBatch(['/a.png', '/b.png', '/c.png'].map((path) => ({ path, size: 1, mtimeMs: 1, kind: 'image/png' })));
    const done = (await store.claim('w1'))!;
    await store.complete(done.jobId, 'w1', result);
    const dead = (await store.claim('w-dead'))!;
    clock.advance(COMPLETED_RETENTION_MS + 60_000);

    const m = startMaintenance({ store, leaseMs: 60_000, logger: silentLogger, staleIntervalMs: 20, cleanupIntervalMs: 20 });
    await m.runNow();
    expect((await store.getJob(dead.jobId))!.status).toBe('pending');
    expect(await store.getJob(done.jobId)).toBeNull();
    const doc = await store.getDocument(done.documentId);
    expect(doc).toMatchObject({ ocrStatus: 'completed', text: 'x' });

    // The timers keep doing it: a job whose worker goes silent is taken back without runNow().
    const again = (await store.claim('w-dead-2'))!;
    clock.advance(61_000);
    await expect.poll(async () => (await store.getJob(again.jobId))!.status, { timeout: 2000 }).toBe('pending');
    m.stop();
    await store.close();
  });

  it('lets the host renew its own leases first, so a job it still runs is not taken back after a sleep', async () => {
    const clock = new ManualClock();
    const store = new SqliteJobStore({ path: join(tempDir(), 'm.db'), migrations: loadMigrations(MIGRATIONS_SQLITE), clock, policy: queuePolicy() });
    await store.enqueueBatch(['/mine.png', '/dead.png'].map((path) => ({ path, size: 1, mtimeMs: 1, kind: 'image/png' })));
    const mine = (await store.claim('host/1/1'))!;
    const dead = (await store.claim('gone/9/1'))!;
    // The machine slept past the lease: both heartbeats are old by the wall clock.
    clock.advance(10 * 60_000);
    const m = startMaintenance({ store, leaseMs: 60_000, logger: silentLogger, staleIntervalMs: 3_600_000 });
    m.renewFirst(async () => void (await store.heartbeat(mine.jobId, 'host/1/1')));
    await m.runNow();
    expect(await store.getJob(mine.jobId)).toMatchObject({ status: 'processing', workerId: 'host/1/1', attempts: 1 });
    expect((await store.getJob(dead.jobId))!.status).toBe('pending');
    m.stop();
    await store.close();
  });
});
