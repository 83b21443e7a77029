/** `quire migrate-store`: the SQLite queue copied into PostgreSQL, refused into a non-empty target unless --force. */
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { ManualClock } from '../src/core/clock';
import { DB_FILE } from '../src/core/paths';
import { loadMigrations } from '../src/core/store/migrations';
import { PgJobStore } from '../src/core/store/postgres/store';
import { SqliteJobStore } from '../src/core/store/sqlite/store';
import type { JobStore } from '../src/core/store/types';
import { MIGRATIONS_POSTGRES, MIGRATIONS_SQLITE, tempDir } from './helpers';
import { createTestDatabase, PG_SKIP_REASON, PG_URL } from './pg';
import { file, MB, ocrResult } from './store-contract';
import { queuePolicy } from '../src/core/queue/policy';

async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: '', err: '' };
  out.on('data', (d) => (chunks.out += d));
  err.on('data', (d) => (chunks.err += d));
  const code = await main(argv, { out, err }, env);
  return { code, ...chunks };
}

/** Everything a user would see of a queue, through the JobStore API only. */
async function snapshot(store: JobStore, paths: string[]) {
  const docs = [];
  for (const p of paths) {
    const d = await store.getDocumentByPath(p);
    docs.push(d && { ...d, id: undefined });
  }
  const { paused, ...stats } = await store.stats();
  return { docs, stats, paused, failures: (await store.listFailures()).map((f) => ({ ...f, documentId: undefined })), settings: await store.listSettings(), folders: await store.listWatchedFolders() };
}

describe.skipIf(!PG_URL)(`quire migrate-store${PG_URL ? '' : ` (skipped: ${PG_SKIP_REASON})`}`, () => {
  it('copies documents, pages, jobs and settings; refuses a non-empty target; --force replaces it', async () => {
    const dir = tempDir();
    const clock = new ManualClock(Date.now() - 60_000);
    const src = new SqliteJobStore({ path: join(dir, DB_FILE), migrations: loadMigrations(MIGRATIONS_SQLITE), clock, policy: queuePolicy({ random: () => 0 }) });
    const paths = ['/s/a.png', '/s/b.pdf', '/s/c.png', '/s/d.png', '/s/e.png', '/s/big.pdf'];
    await src.enqueueBatch(paths.map((p) => file(p, p.includes('big') ? 60 * MB : 1000)));
    const a = (await src.claim('w'))!;
    await src.complete(a.jobId, 'w', ocrResult(3, 'alpha'));
    const b = (await src.claim('w'))!;
    await src.fail(b.jobId, 'w', { kind: 'password_protected', message: 'locked' });
    const c = (await src.claim('w'))!;
    await src.fail(c.jobId, 'w', { kind: 'timeout', message: 'slow' }); // pending again, backing off
    await src.claim('w2'); // d stays processing
    await src.cancel({ jobId: (await src.claim('w3'))!.jobId }); // e cancelled
    await src.setSetting('concurrent_ocr_jobs', 2);
    await src.setPaused(true);
    await src.addWatchedFolder({ path: '/s', poll: true, ignore: ['*.tmp'], outputs: { txt: true, pdf: false, dir: '/out' } });
    await src.setWatchedFolderState('/s', 'polling', 'network share', true);
    expect(await src.setSourceMissing(['/s/a.png'], true)).toBe(1);
    await src.replaceSkipped(['/s'], [{ path: '/s/notes.txt', reason: 'unsupported_format', message: 'not an image or PDF Quire reads (.txt file)' }]);
    const skippedBefore = await src.listSkipped(10);
    const before = await snapshot(src, paths);
    await src.close();

    const url = await createTestDatabase();
    const first = await run(['migrate-store', '--to', url, '--data-dir', dir]);
    expect(first.err).not.toMatch(/quire:/);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/documents\s+6/);
    expect(first.out).toMatch(/ocr_queue\s+6/);
    expect(first.out).toMatch(/document_pages\s+3/);
    expect(first.out).toMatch(/watched_folders\s+1/);
    expect(first.out).toMatch(/skipped_files\s+1/);

    const pgStore = await PgJobStore.open({ url, migrations: loadMigrations(MIGRATIONS_POSTGRES), clock, policy: queuePolicy({ random: () => 0 }) });
    try {
      expect(await snapshot(pgStore, paths)).toEqual(before);
      expect(before.docs[0]).toMatchObject({ path: '/s/a.png', sourceMissing: true });
      expect(before.folders).toHaveLength(1);
      const pages = await pgStore.pool.query('SELECT page_no, text FROM document_pages ORDER BY page_no');
      expect(pages.rows.map((r) => r.text)).toEqual(['alpha 1', 'alpha 2', 'alpha 3']);
      // The copied queue works: the processing job completes, claim order and backoff carry over.
      const d = (await pgStore.getDocumentByPath('/s/d.png'))!;
      const jobD = (await pgStore.pool.query('SELECT id FROM ocr_queue WHERE document_id = $1', [d.id])).rows[0].id;
      expect(await pgStore.complete(jobD, 'w2', ocrResult(1))).toBe(true);
      await pgStore.setPaused(false);
      expect((await pgStore.claim('w'))!.path).toBe('/s/big.pdf'); // c is still backing off
      clock.advance(60_000);
      expect((await pgStore.claim('w'))!.path).toBe('/s/c.png');
    } finally {
      await pgStore.close();
    }

    // Target not empty: refused, nothing changed.
    const again = await run(['migrate-store', '--to', url, '--data-dir', dir]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already holds a queue \(6 documents, 6 jobs, 2 settings, 1 watched folders\).*--force/);

    const forced = await run(['migrate-store', '--to', url, '--data-dir', dir, '--force']);
    expect(forced.code).toBe(0);
    const check = await PgJobStore.open({ url, migrations: loadMigrations(MIGRATIONS_POSTGRES), clock, policy: queuePolicy() });
    try {
      const s = await check.stats();
      expect([s.pending, s.processing, s.completed, s.failed, s.cancelled]).toEqual([
        before.stats.pending,
        before.stats.processing,
        before.stats.completed,
        before.stats.failed,
        before.stats.cancelled,
      ]);
      expect((await check.pool.query('SELECT count(*)::int AS n FROM documents')).rows[0].n).toBe(6);
      expect(await check.listSkipped(10)).toEqual(skippedBefore);
    } finally {
      await check.close();
    }
  });

  it('explains bad usage', async () => {
    const dir = tempDir();
    expect((await run(['migrate-store', '--data-dir', dir])).code).toBe(2);
    const bad = await run(['migrate-store', '--to', 'sqlite:///x', '--data-dir', dir]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/PostgreSQL URL/);
  });

  it('the global --database-url option points every command at PostgreSQL', async () => {
    const url = await createTestDatabase();
    const dir = tempDir();
    expect((await run(['pause', '--database-url', url, '--data-dir', dir])).code).toBe(0);
    const stats = await run(['stats', '--json', '--data-dir', dir], { DATABASE_URL: url });
    expect(JSON.parse(stats.out)).toMatchObject({ paused: true, pending: 0 });
    const before = await run(['--database-url', url, '--data-dir', dir, 'stats', '--json']); // global options first
    expect(JSON.parse(before.out)).toMatchObject({ paused: true });
    // Without the URL the command looks in the data folder, where there is no queue: it says so instead of answering zeros.
    const local = await run(['stats', '--json', '--data-dir', dir]);
    expect(local.code).toBe(1);
    expect(local.err).toContain(`There is no Quire queue in ${dir}`);
  });
});
