/**
 * Chaos with PostgreSQL as the store: the batch is enqueued with `quire ingest`, then several
 * `quire worker` processes (each its own data folder, i.e. its own host) OCR it side by side; one
 * of them is SIGKILLed at seeded random moments mid-run and started again, and takes back its
 * predecessor's jobs (same-host dead-pid check at start; the lease, QUIRE_LEASE_SECONDS, is the
 * fallback). Then the same invariants as the SQLite scenarios: every input has a document, all
 * terminal, exactly one completed job per completed document, no process left.
 */
import { join } from 'node:path';
import pg from 'pg';
import { cliEnv, quire, startQuire, taggedPids } from '../pool/cli-helpers';
import type { ChaosOptions, Invariants, ScenarioReport } from './chaos';
import { fakeInputs, realInputs, rng, writeInputs } from './inputs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface PgChaosOptions extends ChaosOptions {
  databaseUrl: string;
  /** How many `quire worker` hosts run at once (one of them is the one killed). */
  workers?: number;
}

async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

async function peek(url: string): Promise<{ docs: number; live: number; completed: number }> {
  return withClient(url, async (c) => {
    const docs = Number((await c.query('SELECT count(*) AS n FROM documents')).rows[0].n);
    const by = (await c.query("SELECT status, count(*) AS n FROM ocr_queue WHERE status IN ('pending','processing','completed') GROUP BY status"))
      .rows as { status: string; n: string }[];
    const n = (s: string) => Number(by.find((r) => r.status === s)?.n ?? 0);
    return { docs, live: n('pending') + n('processing'), completed: n('completed') };
  });
}

export async function checkInvariantsPg(url: string, inputPaths: string[], tag: string): Promise<Invariants> {
  return withClient(url, async (c) => {
    const docs = (await c.query('SELECT id, path, ocr_status FROM documents')).rows as { id: string; path: string; ocr_status: string }[];
    const byPath = new Set(docs.map((d) => d.path));
    const jobs = (await c.query("SELECT document_id, count(*) AS n FROM ocr_queue WHERE status = 'completed' GROUP BY document_id")).rows.map(
      (r: { document_id: string; n: string }) => ({ document_id: r.document_id, n: Number(r.n) }),
    );
    const pathOf = new Map(docs.map((d) => [d.id, d.path]));
    const doubleCompleted = jobs.filter((j) => j.n > 1).map((j) => `${pathOf.get(j.document_id)} (${j.n} completed jobs)`);
    const withJob = new Set(jobs.map((j) => j.document_id));
    for (const d of docs) if (d.ocr_status === 'completed' && !withJob.has(d.id)) doubleCompleted.push(`${d.path} (completed, no completed job)`);
    return {
      inputs: inputPaths.length,
      documents: docs.length,
      missing: inputPaths.filter((p) => !byPath.has(p)),
      nonTerminal: docs.filter((d) => d.ocr_status === 'pending' || d.ocr_status === 'processing').map((d) => `${d.path} (${d.ocr_status})`),
      completed: docs.filter((d) => d.ocr_status === 'completed').length,
      failed: docs.filter((d) => d.ocr_status === 'failed').length,
      doubleCompleted,
      completedJobs: jobs.reduce((s, j) => s + j.n, 0),
      // PostgreSQL has no integrity_check; its own crash safety (WAL) is not ours to prove.
      integrity: 'n/a (PostgreSQL)',
      leftoverPids: taggedPids(tag),
    };
  });
}

export async function chaosPgWorkers(o: PgChaosOptions, root: string): Promise<ScenarioReport> {
  const log = o.log ?? (() => {});
  const random = rng(o.seed ^ 0x9e37);
  const tag = `chaos-pg-${process.pid}-${Date.now()}`;
  const scans = join(root, 'pg-scans');
  const files = o.engine === 'fake' ? fakeInputs(o.files, `pg-${o.seed}`, o.fakeDelayMs ?? 40, random) : realInputs(o.files, `pg-${o.seed}`);
  const inputPaths = writeInputs(scans, files);
  // Short lease so that even a job whose host never comes back is free again soon.
  const env = cliEnv(tag, { DATABASE_URL: o.databaseUrl, QUIRE_LEASE_SECONDS: '5' });
  if (o.engine === 'tesseract') env.QUIRE_TEST_ENGINE = 'tesseract';
  const started = Date.now();
  const deadline = started + (o.deadlineMs ?? 30 * 60_000);

  const ingest = await quire(['ingest', scans, '--data-dir', join(root, 'pg-ingest')], env);
  if (ingest.code !== 0) throw new Error(`quire ingest failed: ${ingest.stderr}`);

  const n = Math.max(2, o.workers ?? 3);
  const dataOf = (i: number) => join(root, `pg-host-${i}`);
  const startWorker = (i: number) => startQuire(['worker', '--concurrency', '2', '--data-dir', dataOf(i)], env);
  const hosts = Array.from({ length: n }, (_, i) => startWorker(i));
  const kills: ScenarioReport['kills'] = [];
  let restarts = 0;
  // Host 0 is the victim: killed after seeded moments once the run is under way.
  for (let k = 0; k < o.kills; k++) {
    const before = (await peek(o.databaseUrl)).completed;
    // Wait for progress (so the victim has work in hand), then a little more.
    while (Date.now() < deadline && (await peek(o.databaseUrl)).completed === before) await sleep(50);
    await sleep(random() * 800);
    const p = await peek(o.databaseUrl);
    if (p.live === 0) break; // the batch finished before this kill
    const t0 = Date.now();
    hosts[0]!.child.kill('SIGKILL');
    await hosts[0]!.done;
    kills.push({ atMs: t0 - started, target: 'quire worker (host 0)', phase: `ocr (${p.completed} completed, ${p.live} pending or processing)` });
    log(`  kill ${kills.length}: quire worker host 0, ${kills[kills.length - 1]!.phase}`);
    await sleep(100 + random() * 400);
    hosts[0] = startWorker(0);
    restarts++;
  }
  for (;;) {
    if (Date.now() > deadline) break;
    const p = await peek(o.databaseUrl);
    if (p.docs >= files.length && p.live === 0) break;
    await sleep(250);
  }
  for (const h of hosts) h.child.kill('SIGTERM');
  await Promise.all(hosts.map((h) => h.done));
  const end = Date.now() + 10_000;
  while (taggedPids(tag).length && Date.now() < end) await sleep(100);
  return { scenario: 'pg-workers' as ScenarioReport['scenario'], ...(await checkInvariantsPg(o.databaseUrl, inputPaths, tag)), kills, restarts, elapsedMs: Date.now() - started };
}
