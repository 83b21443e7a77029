/**
 * Separate processes claiming from one SQLite file never get the same job, and together they
 * complete every job exactly once.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../src/core/store/migrations';
import { SqliteJobStore } from '../src/core/store/sqlite/store';
import { MIGRATIONS_SQLITE, REPO_ROOT, tempDir } from './helpers';
import { queuePolicy } from '../src/core/queue/policy';

const run = promisify(execFile);

describe('SQLite queue shared by several processes', () => {
  it('four claimer processes share 2,000 jobs with no job claimed twice', async () => {
    const path = join(tempDir(), 'queue.db');
    const store = new SqliteJobStore({ path, migrations: loadMigrations(MIGRATIONS_SQLITE), policy: queuePolicy() });
    const files = Array.from({ length: 2000 }, (_, i) => ({
      path: `/scans/${i}.png`,
      size: 1000 + (i % 7) * 2_000_000,
      mtimeMs: 1,
      kind: 'image/png',
    }));
    await store.enqueueBatch(files);
    await store.close();

    const script = join(REPO_ROOT, 'test/support/claimer.ts');
    const results = await Promise.all(
      [1, 2, 3, 4].map((w) =>
        run(process.execPath, ['--import', 'tsx', script, path, MIGRATIONS_SQLITE, `worker-${w}`], {
          cwd: REPO_ROOT,
          maxBuffer: 16 * 1024 * 1024,
        }).then((r) => JSON.parse(r.stdout) as { claimed: string[]; rejected: number }),
      ),
    );
    const all = results.flatMap((r) => r.claimed);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(2000);
    expect(results.every((r) => r.rejected === 0)).toBe(true);
    // More than one process did real work (they really ran concurrently on the file).
    expect(results.filter((r) => r.claimed.length > 0).length).toBeGreaterThan(1);

    const check = new SqliteJobStore({ path, migrations: loadMigrations(MIGRATIONS_SQLITE), policy: queuePolicy() });
    const stats = await check.stats();
    expect(stats).toMatchObject({ pending: 0, processing: 0, completed: 2000, failed: 0 });
    const perDoc = check.db
      .prepare(`SELECT COUNT(*) AS n FROM ocr_queue WHERE status = 'completed' GROUP BY document_id HAVING n <> 1`)
      .all();
    expect(perDoc).toEqual([]);
    expect(check.db.pragma('integrity_check', { simple: true })).toBe('ok');
    await check.close();
  });
});
