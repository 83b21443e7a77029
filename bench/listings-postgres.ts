/**
 * The UI's listing queries on PostgreSQL at scale: the twin of bench/ui.ts part 1 (same fill,
 * same queries), plus search. Prints figures; asserts nothing.
 *
 *   npx tsx bench/listings-postgres.ts [--database-url postgres://...] [--jobs 1000000]
 *
 * Without --database-url it starts its own throwaway server; with it, it creates a scratch
 * database there (needs CREATEDB) and drops it afterwards.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { defaultMigrationsDir } from '../src/core/paths';
import { loadMigrations } from '../src/core/store/migrations';
import { PgJobStore } from '../src/core/store/postgres/store';
import type { JobListQuery } from '../src/shared/listings';
import { type PgServer, startPgServer } from '../scripts/pg-server';
import { queuePolicy } from '../src/core/queue/policy';

const { values } = parseArgs({
  options: { 'database-url': { type: 'string' }, jobs: { type: 'string', default: '1000000' } },
});
const TOTAL = Number(values.jobs);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function time(label: string, fn: () => Promise<unknown>, runs = 5): Promise<void> {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  console.log(`  ${label.padEnd(36)} ${pct(times, 50).toFixed(1)} ms`);
}

let server: PgServer | undefined;
let adminUrl = values['database-url'];
if (!adminUrl) {
  server = await startPgServer({ fsync: true });
  adminUrl = server.url;
}
const dbName = `quire_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const u = new URL(adminUrl);
u.pathname = `/${dbName}`;
try {
  const store = await PgJobStore.open({ url: u.toString(), migrations: loadMigrations(defaultMigrationsDir('postgres')), poolSize: 2, policy: queuePolicy() });
  const now = Date.now();
  const t0 = performance.now();
  // Plain SQL, as bench/ui.ts does on SQLite; the triggers still keep counters and document status.
  await store.pool.query(`INSERT INTO documents (id, path, size, mtime, kind, added_at, ocr_status, ocr_text)
    SELECT md5(j::text), format('/archive/box-%s/scan-%s.tif', lpad((j % 500)::text, 3, '0'), lpad(j::text, 7, '0')),
      50000 + (j % 7) * 1000000, 1, 'image/tiff', ${now}, 'pending',
      CASE WHEN j % 10 < 7 THEN format('page of box %s, letter %s about quokka number %s', j % 500, j % 26, j) END
    FROM generate_series(0, ${TOTAL - 1}) AS j`);
  await store.pool.query(`INSERT INTO ocr_queue (id, document_id, status, priority, attempts, max_attempts, created_at, file_size, run_after)
    SELECT md5('q' || id), id, 'pending', 5, 0, 3, ${now}, size, ${now} FROM documents ORDER BY path`);
  await store.pool.query(`UPDATE ocr_queue SET status = 'completed', completed_at = ${now}, attempts = 1 WHERE seq % 10 < 7`);
  await store.pool.query(`UPDATE ocr_queue SET status = 'failed', completed_at = ${now}, attempts = 3,
    error_kind = CASE seq % 3 WHEN 0 THEN 'corrupt_file' WHEN 1 THEN 'timeout' ELSE 'file_missing' END,
    error_message = 'bench failure' WHERE seq % 50 = 7`);
  await store.pool.query(`UPDATE ocr_queue SET status = 'cancelled', completed_at = ${now} WHERE seq % 1000 = 9`);
  await store.stats(); // folds the counter deltas the bulk updates wrote
  await store.pool.query('VACUUM ANALYZE');
  console.log(`filled ${TOTAL.toLocaleString()} jobs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const queries: [string, Omit<JobListQuery, 'limit'>][] = [
    ['newest first', { sort: 'created_desc' }],
    ['path A-Z', { sort: 'path_asc' }],
    ['status=failed', { sort: 'created_desc', status: 'failed' }],
    ['status=cancelled (rare)', { sort: 'created_desc', status: 'cancelled' }],
    ['kind=timeout', { sort: 'created_desc', kind: 'timeout' }],
    ['folder /archive/box-123', { sort: 'path_asc', folder: '/archive/box-123' }],
    ['path contains "scan-0999"', { sort: 'created_desc', pathSearch: 'scan-0999' }],
    ['path contains "nothing" (scan)', { sort: 'created_desc', pathSearch: 'nothing-matches' }],
  ];
  console.log('\nlistJobs, 500 rows (median of 5 runs):');
  for (const [label, q] of queries) await time(label, () => store.listJobs({ ...q, limit: 500 }));
  let after: string | undefined;
  let last = 0;
  for (let p = 0; p < 200; p++) {
    const t = performance.now();
    const page = await store.listJobs({ sort: 'path_asc', limit: 500, after });
    last = performance.now() - t;
    after = page.next ?? undefined;
  }
  console.log(`  ${'page 200 of path A-Z (keyset)'.padEnd(36)} ${last.toFixed(1)} ms`);
  console.log('\nother reads (median of 5 runs):');
  await time('failureGroups()', () => store.failureGroups());
  await time('stats()', () => store.stats());
  await time('search "quokka 4711" (1 hit)', () => store.search('quokka 4711', 20));
  await time('search "quokka" (70% match, top 20)', () => store.search('quokka', 20));
  await time('listCompleted, 500 after a path', () => store.listCompleted('/archive/box-250', 500));
  await store.close();
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  server?.stop();
}
