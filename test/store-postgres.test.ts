/** PostgreSQL-only behaviour: concurrent claimers, concurrent migration, the SQL stats function,
 * full-text search, connection errors, store selection. (Queue semantics are in the contract.) */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock';
import { createQuire } from '../src/core/app';
import { readEnvironment, resolveDatabaseUrl as resolveUrl } from '../src/core/config/environment';
import { createStore } from '../src/core/store';

const resolveDatabaseUrl = (flag: string | undefined, env: NodeJS.ProcessEnv) => resolveUrl(flag, readEnvironment(env));
import { loadMigrations } from '../src/core/store/migrations';
import { PgJobStore } from '../src/core/store/postgres/store';
import { SqliteJobStore } from '../src/core/store/sqlite/store';
import { MIGRATIONS_POSTGRES, tempDir } from './helpers';
import { createTestDatabase, PG_SKIP_REASON, PG_URL } from './pg';
import { file, ocrResult } from './store-contract';
import { queuePolicy } from '../src/core/queue/policy';

const migrations = loadMigrations(MIGRATIONS_POSTGRES);

describe.skipIf(!PG_URL)(`PostgreSQL store${PG_URL ? '' : ` (skipped: ${PG_SKIP_REASON})`}`, () => {
  it('never hands one job to two claimers racing from separate pools', async () => {
    const url = await createTestDatabase();
    const stores = await Promise.all([0, 1, 2, 3].map(() => PgJobStore.open({ url, migrations, poolSize: 3, policy: queuePolicy() })));
    try {
      const files = Array.from({ length: 300 }, (_, i) => file(`/race/${i}.png`));
      await stores[0]!.enqueueBatch(files);
      const seen = new Map<string, string>();
      let dup = 0;
      // 12 concurrent claim loops (3 per pool), each completing what it claims.
      await Promise.all(
        stores.flatMap((s, si) =>
          [0, 1, 2].map(async (k) => {
            const worker = `w${si}-${k}`;
            for (;;) {
              const j = await s.claim(worker);
              if (!j) return;
              if (seen.has(j.jobId)) dup++;
              seen.set(j.jobId, worker);
              expect(await s.complete(j.jobId, worker, ocrResult(1))).toBe(true);
            }
          }),
        ),
      );
      expect(dup).toBe(0);
      expect(seen.size).toBe(300);
      const s = await stores[1]!.stats();
      expect([s.completed, s.pending, s.processing, s.completed_today]).toEqual([300, 0, 0, 300]);
    } finally {
      for (const s of stores) await s.close();
    }
  });

  it('hosts enqueueing the same files at once create each document and job exactly once', async () => {
    const url = await createTestDatabase();
    const stores = await Promise.all([0, 1, 2].map(() => PgJobStore.open({ url, migrations, poolSize: 2, policy: queuePolicy() })));
    try {
      const batches = (offset: number) =>
        Array.from({ length: 6 }, (_, b) => Array.from({ length: 100 }, (_, i) => file(`/shared/${(b * 100 + i + offset) % 600}.png`)));
      const results = await Promise.all(stores.map(async (s, si) => Promise.all(batches(si * 50).map((b) => s.enqueueBatch(b)))));
      const enqueued = results.flat().reduce((a, r) => a + r.enqueued, 0);
      const unchanged = results.flat().reduce((a, r) => a + r.unchanged, 0);
      expect([enqueued, unchanged]).toEqual([600, 1200]);
      const n = (await stores[0]!.pool.query('SELECT (SELECT count(*) FROM documents) AS d, (SELECT count(*) FROM ocr_queue) AS q')).rows[0];
      expect(n).toEqual({ d: 600, q: 600 });
      expect((await stores[1]!.stats()).pending).toBe(600);
    } finally {
      for (const s of stores) await s.close();
    }
  });

  it('a changed file whose failed job another host requeues meanwhile ends up queued once', async () => {
    const url = await createTestDatabase();
    const store = await PgJobStore.open({ url, migrations, policy: queuePolicy() });
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await store.enqueueBatch([file('/r.png')]);
      const j = (await store.claim('w'))!;
      await store.fail(j.jobId, 'w', { kind: 'corrupt_file', message: 'bad' });
      // Host B requeues the failed job and has not committed yet when host A re-enqueues the file.
      await other.query('BEGIN');
      await other.query(`UPDATE ocr_queue SET status = 'pending', attempts = 0 WHERE id = $1`, [j.jobId]);
      const enqueue = store.enqueueBatch([file('/r.png', 999), file('/other.png')]);
      await new Promise((r) => setTimeout(r, 300));
      await other.query('COMMIT');
      const r = await enqueue;
      expect(r).toMatchObject({ enqueued: 1, alreadyQueued: 1, outcomes: ['already_queued', 'enqueued'] });
      const jobs = (await store.pool.query('SELECT id, status FROM ocr_queue WHERE document_id = $1', [j.documentId])).rows;
      expect(jobs).toEqual([{ id: j.jobId, status: 'pending' }]);
      expect((await store.stats()).pending).toBe(2);
    } finally {
      await other.end();
      await store.close();
    }
  });

  it('bulk cancel and requeue racing with claimers neither deadlock nor miscount', async () => {
    const url = await createTestDatabase();
    const stores = await Promise.all([0, 1, 2].map(() => PgJobStore.open({ url, migrations, poolSize: 3, policy: queuePolicy({ random: () => 0 }) })));
    try {
      await stores[0]!.enqueueBatch(Array.from({ length: 400 }, (_, i) => file(`/bulk/${i}.png`)));
      let stop = false;
      const workers = stores.slice(0, 2).flatMap((s, si) =>
        [0, 1].map(async (k) => {
          const w = `w${si}${k}`;
          let n = 0;
          while (!stop) {
            const j = await s.claim(w);
            if (!j) {
              await new Promise((r) => setTimeout(r, 2));
              continue;
            }
            if (n++ % 3 === 0) await s.fail(j.jobId, w, { kind: 'corrupt_file', message: 'bad' });
            else await s.complete(j.jobId, w, ocrResult(1));
          }
        }),
      );
      const admin = stores[2]!;
      for (let round = 0; round < 15; round++) {
        await admin.cancel({ allPending: true });
        await admin.requeue();
        await admin.enqueueBatch(Array.from({ length: 20 }, (_, i) => file(`/bulk/new-${round}-${i}.png`)));
        await admin.stats();
      }
      stop = true;
      await Promise.all(workers);
      const s = await admin.stats();
      const direct: Record<string, number> = {};
      for (const r of (await admin.pool.query('SELECT status, count(*) AS n FROM ocr_queue GROUP BY status')).rows) direct[r.status] = r.n;
      expect({ pending: s.pending, processing: s.processing, completed: s.completed, failed: s.failed, cancelled: s.cancelled }).toEqual({
        pending: direct.pending ?? 0,
        processing: direct.processing ?? 0,
        completed: direct.completed ?? 0,
        failed: direct.failed ?? 0,
        cancelled: direct.cancelled ?? 0,
      });
      expect(s.processing).toBe(0);
    } finally {
      for (const s of stores) await s.close();
    }
  });

  it('two hosts starting at once on an empty database migrate it once', async () => {
    const url = await createTestDatabase();
    const stores = await Promise.all([0, 1, 2].map(() => PgJobStore.open({ url, migrations, poolSize: 1, policy: queuePolicy() })));
    try {
      const rows = (await stores[0]!.pool.query('SELECT id, name FROM schema_migrations')).rows;
      expect(rows).toEqual([
        { id: 1, name: 'initial' },
        { id: 2, name: 'watched_folders' },
        { id: 3, name: 'job_languages' },
        { id: 4, name: 'skipped_files' },
        { id: 5, name: 'host_workers' },
      ]);
      await stores[1]!.enqueueBatch([file('/x.png')]);
      expect((await stores[2]!.stats()).pending).toBe(1);
    } finally {
      for (const s of stores) await s.close();
    }
  });

  it('get_ocr_queue_stats() gives the seed keys, agreeing with stats()', async () => {
    const url = await createTestDatabase();
    const clock = new ManualClock();
    const store = await PgJobStore.open({ url, migrations, clock, policy: queuePolicy({ random: () => 0 }) });
    try {
      await store.enqueueBatch([file('/a.png'), file('/b.png'), file('/c.png')]);
      clock.advance(7 * 60_000);
      const a = (await store.claim('w'))!;
      await store.complete(a.jobId, 'w', ocrResult(1));
      const b = (await store.claim('w'))!;
      await store.fail(b.jobId, 'w', { kind: 'corrupt_file', message: 'bad' });
      clock.advance(90_000);
      const s = await store.stats();
      const dayStart = (await import('../src/core/clock')).startOfLocalDay(clock.now());
      const fn = (await store.pool.query('SELECT * FROM get_ocr_queue_stats($1, $2)', [clock.now(), dayStart])).rows[0];
      expect(fn).toEqual({
        pending: s.pending,
        processing: s.processing,
        failed: s.failed,
        completed_today: s.completed_today,
        avg_wait_time_minutes: s.avg_wait_time_minutes,
        oldest_pending_minutes: s.oldest_pending_minutes,
      });
      expect(fn).toMatchObject({ pending: 1, failed: 1, completed_today: 1, avg_wait_time_minutes: 7, oldest_pending_minutes: 8.5 });
      // With no arguments it uses the server's clock: still the same counts.
      const live = (await store.pool.query('SELECT pending, failed FROM get_ocr_queue_stats()')).rows[0];
      expect(live).toEqual({ pending: 1, failed: 1 });
    } finally {
      await store.close();
    }
  });

  it('searches document text through the full-text index expression', async () => {
    const url = await createTestDatabase();
    const store = await PgJobStore.open({ url, migrations, policy: queuePolicy() });
    try {
      await store.enqueueBatch([file('/inv.png'), file('/letter.png')]);
      const j1 = (await store.claim('w'))!;
      await store.complete(j1.jobId, 'w', { ...ocrResult(1), text: 'Invoice number 4711 from Acme' });
      const j2 = (await store.claim('w'))!;
      await store.complete(j2.jobId, 'w', { ...ocrResult(1), text: 'Dear Sir, thank you for the letter' });
      expect((await store.search('invoice ACME', 10)).map((h) => [h.path, h.snippet])).toEqual([
        ['/inv.png', '\u0002Invoice\u0003 number 4711 from \u0002Acme\u0003'],
      ]);
      expect((await store.search('lett*', 10)).map((h) => h.path)).toEqual(['/letter.png']);
      // store.search's condition is answered from the GIN expression index.
      const client = await store.pool.connect();
      let plan: string;
      try {
        await client.query('SET enable_seqscan = off');
        const q = `EXPLAIN SELECT id FROM documents
          WHERE ocr_text IS NOT NULL AND to_tsvector('simple', ocr_text) @@ to_tsquery('simple', '''invoice''')`;
        plan = (await client.query(q)).rows.map((r) => r['QUERY PLAN']).join('\n');
      } finally {
        client.release();
      }
      expect(plan).toMatch(/documents_fts/);
    } finally {
      await store.close();
    }
  });

  it('commits without waiting for the WAL flush unless asked to (like SQLite synchronous=NORMAL)', async () => {
    const url = await createTestDatabase();
    // The test server runs with synchronous_commit=off; make this database's default "on".
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${new URL(url).pathname.slice(1)} SET synchronous_commit = on`);
    await admin.end();
    const relaxed = createStore({ dataDir: tempDir(), databaseUrl: url, policy: queuePolicy() }) as PgJobStore;
    const strict = createStore({ dataDir: tempDir(), databaseUrl: url, policy: queuePolicy(), pgSynchronousCommit: readEnvironment({ QUIRE_PG_SYNCHRONOUS_COMMIT: 'on' }).pgSynchronousCommit }) as PgJobStore;
    try {
      await relaxed.stats(); // waits for the migration before the raw queries below
      await strict.stats();
      expect((await relaxed.pool.query('SHOW synchronous_commit')).rows[0].synchronous_commit).toBe('off');
      expect((await strict.pool.query('SHOW synchronous_commit')).rows[0].synchronous_commit).toBe('on');
    } finally {
      await relaxed.close();
      await strict.close();
    }
  });

  it('reads survive pooled connections the server dropped (terminated backends, as after a restart)', async () => {
    const url = await createTestDatabase();
    const store = await PgJobStore.open({ url, migrations, poolSize: 3, policy: queuePolicy() });
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      await store.enqueueBatch([file('/a.png')]);
      // Open all three pooled connections, then have the server end them while idle.
      await Promise.all([store.stats(), store.listSettings(), store.getJob('x')]);
      const db = new URL(url).pathname.slice(1);
      const killed = await admin.query('SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1', [db]);
      expect(killed.rows[0].n).toBeGreaterThan(0);
      expect((await store.stats()).pending).toBe(1);
      expect(await store.listSettings()).toEqual({});
      expect((await store.claim('w'))!.path).toBe('/a.png'); // fresh connections by now
    } finally {
      await admin.end();
      await store.close();
    }
  });

  it('says which server it cannot reach, without the password', async () => {
    const err = await PgJobStore.open({ url: 'postgres://quire:secret@127.0.0.1:1/quire', migrations, policy: queuePolicy() }).then(
      () => null,
      (e: unknown) => e as Error & { code: string },
    );
    expect(err?.code).toBe('database_unreachable');
    expect(err?.message).toContain('127.0.0.1:1');
    expect(err?.message).not.toContain('secret');
    // The lazily connecting constructor reports the same error on the first operation.
    const lazy = new PgJobStore({ url: 'postgres://127.0.0.1:1/quire', migrations, policy: queuePolicy() });
    await expect(lazy.stats()).rejects.toMatchObject({ code: 'database_unreachable' });
    await lazy.close();
  });

  it('createQuire picks PostgreSQL for a postgres:// URL (option or DATABASE_URL) and SQLite otherwise', async () => {
    const url = await createTestDatabase();
    const dir = tempDir();
    expect(resolveDatabaseUrl(undefined, { DATABASE_URL: 'mysql://x' })).toBeUndefined();
    expect(resolveDatabaseUrl(undefined, { DATABASE_URL: url })).toBe(url);
    expect(resolveDatabaseUrl('postgresql://h/db', { DATABASE_URL: url })).toBe('postgresql://h/db');
    expect(() => resolveDatabaseUrl('/tmp/x.db', {})).toThrow(/PostgreSQL URL/);

    const viaEnv = createQuire({ dataDir: `${dir}/unused`, env: { DATABASE_URL: url } });
    expect(viaEnv.store).toBeInstanceOf(PgJobStore);
    await viaEnv.store.enqueueBatch([file('/q.png')]);
    await viaEnv.close();
    const viaOption = createQuire({ dataDir: dir, databaseUrl: url, env: {} });
    expect((await viaOption.store.stats()).pending).toBe(1);
    await viaOption.close();
    const local = createStore({ dataDir: dir, policy: queuePolicy() });
    expect(local).toBeInstanceOf(SqliteJobStore);
    expect((await local.stats()).pending).toBe(0);
    await local.close();
  });
});
