/** PostgreSQL-only behaviour: concurrent claimers, concurrent migration, the SQL stats function,
 * full-text search, connection errors, store selection. (Queue semantics are in the contract.) */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock';
import { createQuire } from '../src/core/app';
import { createStore, resolveDatabaseUrl } from '../src/core/store';
import { loadMigrations } from '../src/core/store/migrations';
import { PgJobStore } from '../src/core/store/postgres/store';
import { SqliteJobStore } from '../src/core/store/sqlite/store';
import { MIGRATIONS_POSTGRES, tempDir } from './helpers';
import { createTestDatabase, PG_SKIP_REASON, PG_URL } from './pg';
import { file, ocrResult } from './store-contract';

const migrations = loadMigrations(MIGRATIONS_POSTGRES);

describe.skipIf(!PG_URL)(`PostgreSQL store${PG_URL ? '' : ` (skipped: ${PG_SKIP_REASON})`}`, () => {
  it('never hands one job to two claimers racing from separate pools', async () => {
    const url = await createTestDatabase();
    const stores = await Promise.all([0, 1, 2, 3].map(() => PgJobStore.open({ url, migrations, poolSize: 3 })));
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

  it('two hosts starting at once on an empty database migrate it once', async () => {
    const url = await createTestDatabase();
    const stores = await Promise.all([0, 1, 2].map(() => PgJobStore.open({ url, migrations, poolSize: 1 })));
    try {
      const rows = (await stores[0]!.pool.query('SELECT id, name FROM schema_migrations')).rows;
      expect(rows).toEqual([{ id: 1, name: 'initial' }]);
      await stores[1]!.enqueueBatch([file('/x.png')]);
      expect((await stores[2]!.stats()).pending).toBe(1);
    } finally {
      for (const s of stores) await s.close();
    }
  });

  it('get_ocr_queue_stats() gives the seed keys, agreeing with stats()', async () => {
    const url = await createTestDatabase();
    const clock = new ManualClock();
    const store = await PgJobStore.open({ url, migrations, clock, random: () => 0 });
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
    const store = await PgJobStore.open({ url, migrations });
    try {
      await store.enqueueBatch([file('/inv.png'), file('/letter.png')]);
      const j1 = (await store.claim('w'))!;
      await store.complete(j1.jobId, 'w', { ...ocrResult(1), text: 'Invoice number 4711 from Acme' });
      const j2 = (await store.claim('w'))!;
      await store.complete(j2.jobId, 'w', { ...ocrResult(1), text: 'Dear Sir, thank you for the letter' });
      const q = `SELECT path FROM documents WHERE to_tsvector('simple', ocr_text) @@ websearch_to_tsquery('simple', $1)`;
      expect((await store.pool.query(q, ['invoice acme'])).rows).toEqual([{ path: '/inv.png' }]);
      expect((await store.pool.query(q, ['letter'])).rows).toEqual([{ path: '/letter.png' }]);
      await store.pool.query('SET enable_seqscan = off');
      const plan = (await store.pool.query(`EXPLAIN ${q.replace('$1', "'invoice'")}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
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
    const relaxed = createStore({ dataDir: tempDir(), databaseUrl: url, env: {} }) as PgJobStore;
    const strict = createStore({ dataDir: tempDir(), databaseUrl: url, env: { QUIRE_PG_SYNCHRONOUS_COMMIT: 'on' } }) as PgJobStore;
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

  it('says which server it cannot reach, without the password', async () => {
    const err = await PgJobStore.open({ url: 'postgres://quire:secret@127.0.0.1:1/quire', migrations }).then(
      () => null,
      (e: unknown) => e as Error & { code: string },
    );
    expect(err?.code).toBe('database_unreachable');
    expect(err?.message).toContain('127.0.0.1:1');
    expect(err?.message).not.toContain('secret');
    // The lazily connecting constructor reports the same error on the first operation.
    const lazy = new PgJobStore({ url: 'postgres://127.0.0.1:1/quire', migrations });
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
    const local = createStore({ dataDir: dir });
    expect(local).toBeInstanceOf(SqliteJobStore);
    expect((await local.stats()).pending).toBe(0);
    await local.close();
  });
});
