/**
 * Issue 6: one PostgreSQL queue shared by several `quire worker` hosts. Three real worker
 * processes (the test-only fake engine) work through 300 files; one is killed with SIGKILL while
 * it holds jobs. The survivors' maintenance (stale recovery, made to run every second here through
 * the test launcher's QUIRE_TEST_STALE_MS, with a 5 s lease) takes its jobs back, and every file ends
 * up completed exactly once. No new host starts, so the start-up pid check plays no part.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { createTestDatabase, PG_SKIP_REASON, PG_URL } from '../pg';
import { cliEnv, quire, startQuire, taggedPids, writeScripts } from './cli-helpers';

const TAG = `multi-host-${process.pid}-${Date.now()}`;
const FILES = 300;

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, limitMs = 40_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!PG_URL)(`several quire worker hosts on one PostgreSQL queue${PG_URL ? '' : ` (skipped: ${PG_SKIP_REASON})`}`, () => {
  afterAll(() => {
    for (const pid of [...taggedPids(`${TAG}-0`), ...taggedPids(`${TAG}-1`), ...taggedPids(`${TAG}-2`)]) process.kill(pid, 'SIGKILL');
  });

  it('completes every job exactly once when one host is killed mid-run; the survivors take back its jobs', async () => {
    const url = await createTestDatabase();
    const root = tempDir('quire-multi-host-');
    const scans = join(root, 'scans');
    const scripts: Record<string, string> = {};
    for (let i = 0; i < FILES; i++) scripts[`f${String(i).padStart(3, '0')}.png`] = `delay 40\ntext file number ${i}`;
    writeScripts(scans, scripts);

    const envFor = (n: number) =>
      cliEnv(`${TAG}-${n}`, { DATABASE_URL: url, QUIRE_LEASE_SECONDS: '5', QUIRE_TEST_STALE_MS: '1000' });
    const ingest = await quire(['ingest', scans, '--data-dir', join(root, 'ingest')], envFor(9));
    expect(ingest.stderr).not.toMatch(/quire:/);
    expect(ingest.code).toBe(0);

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const hosts = [0, 1, 2].map((n) => startQuire(['worker', '--concurrency', '2', '--data-dir', join(root, `host${n}`)], envFor(n)));
      const victim = hosts[0]!;
      const victimPrefix = `%/${victim.child.pid}/%`;

      // Kill the victim while it holds jobs and the run is well under way.
      const held = await until('the victim to hold jobs mid-run', async () => {
        const r = await db.query<{ id: string; done: string }>(
          `SELECT q.id, (SELECT count(*) FROM ocr_queue WHERE status = 'completed') AS done
             FROM ocr_queue q WHERE q.status = 'processing' AND q.worker_id LIKE $1`,
          [victimPrefix],
        );
        return r.rows.length > 0 && Number(r.rows[0]!.done) >= 30 ? r.rows.map((x) => x.id) : null;
      });
      victim.child.kill('SIGKILL');
      // Its OCR processes go with it (as on a machine that went away).
      await until('the victim host to be gone', async () => {
        for (const pid of taggedPids(`${TAG}-0`)) process.kill(pid, 'SIGKILL');
        return taggedPids(`${TAG}-0`).length === 0;
      });
      const stillHeld = (
        await db.query<{ id: string }>(`SELECT id FROM ocr_queue WHERE status = 'processing' AND worker_id LIKE $1`, [victimPrefix])
      ).rows.map((r) => r.id);
      expect(stillHeld.length).toBeGreaterThan(0);

      await until(
        'all jobs to finish',
        async () => {
          const r = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ocr_queue WHERE status IN ('pending', 'processing')`);
          return Number(r.rows[0]!.n) === 0;
        },
        50_000,
      );

      // Exactly one completed job per document, every document completed, nothing else left.
      const perDoc = await db.query<{ document_id: string; completed: string; jobs: string }>(
        `SELECT d.id AS document_id, d.ocr_status,
                count(q.id) FILTER (WHERE q.status = 'completed') AS completed, count(q.id) AS jobs
           FROM documents d LEFT JOIN ocr_queue q ON q.document_id = d.id GROUP BY d.id, d.ocr_status`,
      );
      expect(perDoc.rows).toHaveLength(FILES);
      expect(perDoc.rows.filter((r) => Number(r.completed) !== 1)).toEqual([]);
      expect(perDoc.rows.filter((r) => Number(r.jobs) !== 1)).toEqual([]);
      const docs = await db.query<{ ocr_status: string; n: string }>(`SELECT ocr_status, count(*) AS n FROM documents GROUP BY ocr_status`);
      expect(docs.rows).toEqual([{ ocr_status: 'completed', n: String(FILES) }]);

      // The killed host's jobs came back through stale recovery (one more attempt counted) and
      // were completed by a survivor.
      const back = await db.query<{ id: string; status: string; attempts: number; worker_id: string }>(
        `SELECT id, status, attempts, worker_id FROM ocr_queue WHERE id = ANY($1)`,
        [stillHeld],
      );
      expect(back.rows).toHaveLength(stillHeld.length);
      for (const j of back.rows) {
        expect(j.status).toBe('completed');
        expect(j.attempts).toBeGreaterThanOrEqual(2);
        expect(j.worker_id).not.toMatch(new RegExp(`/${victim.child.pid}/`));
      }
      expect(held.length).toBeGreaterThan(0);

      for (const h of hosts.slice(1)) h.child.kill('SIGTERM');
      const results = await Promise.all(hosts.slice(1).map((h) => h.done));
      for (const r of results) {
        expect(r.stderr).not.toMatch(/unexpected error/);
        expect(r.code).toBe(0);
      }
    } finally {
      await db.end();
    }
  }, 90_000);
});
