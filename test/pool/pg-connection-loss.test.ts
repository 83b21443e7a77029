/**
 * Issue 6: a `quire worker` host loses its PostgreSQL server mid-run. A dedicated server (not the
 * shared test server) is halted abruptly and started again. The host keeps its running jobs, says
 * it is disconnected, reconnects by itself, and every file ends up completed exactly once.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { haltPgServer, pgBinariesAvailable, resumePgServer, startPgServer, type PgServer } from '../../scripts/pg-server';
import { tempDir } from '../helpers';
import { PG_URL } from '../pg';
import { cliEnv, quire, startQuire, taggedPids, writeScripts } from './cli-helpers';

const TAG = `pg-loss-${process.pid}-${Date.now()}`;
const FILES = 60;

async function until(what: string, probe: () => Promise<boolean> | boolean, limitMs = 40_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function count(url: string, sql: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return Number((await c.query<{ n: string }>(sql)).rows[0]!.n);
  } finally {
    await c.end();
  }
}

// The same condition as the other PostgreSQL tests (a server for the run), plus local binaries
// to start a server of our own: stopping the shared one would break tests running beside this one.
describe.skipIf(!PG_URL || !pgBinariesAvailable())('a quire worker host that loses its PostgreSQL server', () => {
  let server: PgServer | undefined;
  afterAll(() => {
    for (const pid of taggedPids(TAG)) process.kill(pid, 'SIGKILL');
    server?.stop();
  });

  it('keeps its jobs, reports itself disconnected, reconnects, and completes every job exactly once', async () => {
    // synchronous_commit on: a commit the worker was told about survives the abrupt stop.
    server = await startPgServer({ fsync: true });
    const url = server.url;
    const root = tempDir('quire-pg-loss-');
    const scans = join(root, 'scans');
    const scripts: Record<string, string> = {};
    for (let i = 0; i < FILES; i++) scripts[`f${String(i).padStart(2, '0')}.png`] = `delay 150\ntext file number ${i}`;
    writeScripts(scans, scripts);
    const env = cliEnv(TAG, { DATABASE_URL: url });
    expect((await quire(['ingest', scans, '--data-dir', join(root, 'ingest')], env)).code).toBe(0);

    const worker = startQuire(['worker', '--verbose', '--concurrency', '2', '--data-dir', join(root, 'host')], env);
    let stderr = '';
    worker.child.stderr!.on('data', (d) => (stderr += d));
    await until('a few jobs to complete', async () => (await count(url, `SELECT count(*) AS n FROM ocr_queue WHERE status = 'completed'`)) >= 10);

    haltPgServer(server.dataDir);
    await until('the worker to say it is disconnected', () => stderr.includes('Disconnected from the PostgreSQL server'), 30_000).catch((err: Error) => {
      throw new Error(`${err.message}; its output: ${stderr.slice(-2000)}`);
    });
    // Down for a while: running jobs finish meanwhile and their results wait in memory.
    await new Promise((r) => setTimeout(r, 1500));
    resumePgServer(server.dataDir);
    await until('the worker to reconnect', () => stderr.includes('Reconnected to the PostgreSQL server'), 60_000);

    await until(
      'all jobs to finish',
      async () => (await count(url, `SELECT count(*) AS n FROM ocr_queue WHERE status IN ('pending', 'processing')`)) === 0,
      40_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; its output: ${stderr.slice(-3000)}`);
    });
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const perDoc = await c.query<{ completed: string; jobs: string; ocr_status: string }>(
        `SELECT d.ocr_status, count(q.id) FILTER (WHERE q.status = 'completed') AS completed, count(q.id) AS jobs
           FROM documents d LEFT JOIN ocr_queue q ON q.document_id = d.id GROUP BY d.id, d.ocr_status`,
      );
      expect(perDoc.rows).toHaveLength(FILES);
      expect(perDoc.rows.filter((r) => r.completed !== '1' || r.jobs !== '1' || r.ocr_status !== 'completed')).toEqual([]);
    } finally {
      await c.end();
    }
    worker.child.kill('SIGTERM');
    const r = await worker.done;
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(r.code).toBe(0);
  }, 120_000);
});
