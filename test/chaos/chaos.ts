/**
 * Chaos test: `quire run` (and a watched-folder host: `quire watch run` + `quire worker`) killed
 * with SIGKILL at seeded random moments and started again until the batch is done. Then it proves
 * nothing was lost: every input has a document, every document is terminal, no document has more
 * than one completed job, `PRAGMA integrity_check` is ok and no Quire process is left.
 *
 *   npm run test:chaos -- [--files 300] [--kills 10] [--seed N] [--engine tesseract|fake] [--only run|watch]
 *   npm run test:chaos -- --database-url postgres://... [--workers 3] [...]   (PostgreSQL: several
 *     `quire worker` hosts, one SIGKILLed mid-run and restarted; see chaos-pg.ts. Tables are
 *     created in that database, so give it an empty one.)
 *
 * The reduced version (test/chaos/chaos.test.ts) runs inside `npm test` with the fake engine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { cliEnv, QUIRE_TEST_CLI, taggedPids } from '../pool/cli-helpers';
import { fakeInputs, realInputs, rng, writeInputs, type InputFile } from './inputs';

export interface ChaosOptions {
  files: number;
  kills: number;
  seed: number;
  engine: 'tesseract' | 'fake';
  only?: 'run' | 'watch';
  /** Fake engine: ms per page. */
  fakeDelayMs?: number;
  log?: (line: string) => void;
  /** Give up (and report) after this long per scenario. */
  deadlineMs?: number;
}

export interface Invariants {
  inputs: number;
  documents: number;
  missing: string[];
  nonTerminal: string[];
  completed: number;
  failed: number;
  doubleCompleted: string[];
  completedJobs: number;
  integrity: string;
  leftoverPids: number[];
}

export interface ScenarioReport extends Invariants {
  scenario: 'run' | 'watch' | 'pg-workers';
  /** landed: where the kill really hit, read from the queue at that moment (not what it aimed at). */
  kills: { atMs: number; target: string; phase: string; landed?: 'ingest' | 'ocr' | 'commit' | 'between jobs' }[];
  restarts: number;
  elapsedMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startQuire(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [...QUIRE_TEST_CLI, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err = (err + d).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  (child as ChildProcess & { lastErr: () => string }).lastErr = () => err;
  return { child, exited };
}

/** Read-only look at the queue (WAL lets it read while a host writes). */
function peek(dbPath: string): { docs: number; pending: number; processing: number; completed: number } {
  try {
    statSync(dbPath);
  } catch {
    return { docs: 0, pending: 0, processing: 0, completed: 0 };
  }
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    const docs = (db.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n;
    const by = Object.fromEntries(
      (db.prepare('SELECT status, n FROM queue_counters').all() as { status: string; n: number }[]).map((r) => [r.status, r.n]),
    );
    return { docs, pending: by.pending ?? 0, processing: by.processing ?? 0, completed: by.completed ?? 0 };
  } catch {
    return { docs: 0, pending: 0, processing: 0, completed: 0 }; // schema not there yet
  } finally {
    db.close();
  }
}

function phaseOf(dbPath: string, inputs: number): string {
  const p = peek(dbPath);
  const counts = `${p.completed} completed, ${p.processing} processing, ${p.pending} pending`;
  if (p.docs < inputs) return `ingest/ocr (${p.docs}/${inputs} documents; ${counts})`;
  return `ocr (${counts})`;
}

/** Wait until the completed count moves (to kill "around the commit"); false if it did not in time. */
async function waitForCommit(dbPath: string, limitMs: number): Promise<boolean> {
  const start = Date.now();
  const before = peek(dbPath).completed;
  while (Date.now() - start < limitMs) {
    if (peek(dbPath).completed !== before) return true;
    await sleep(3);
  }
  return false;
}

export function checkInvariants(dbPath: string, inputPaths: string[], tag: string): Invariants {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    const docs = db.prepare('SELECT id, path, ocr_status FROM documents').all() as { id: string; path: string; ocr_status: string }[];
    const byPath = new Map(docs.map((d) => [d.path, d]));
    const missing = inputPaths.filter((p) => !byPath.has(p));
    const nonTerminal = docs.filter((d) => d.ocr_status === 'pending' || d.ocr_status === 'processing').map((d) => `${d.path} (${d.ocr_status})`);
    const jobs = db
      .prepare("SELECT document_id, count(*) AS n FROM ocr_queue WHERE status = 'completed' GROUP BY document_id")
      .all() as { document_id: string; n: number }[];
    const completedJobs = jobs.reduce((s, j) => s + j.n, 0);
    const pathOf = new Map(docs.map((d) => [d.id, d.path]));
    const doubleCompleted = jobs.filter((j) => j.n > 1).map((j) => `${pathOf.get(j.document_id)} (${j.n} completed jobs)`);
    // A completed document must have exactly one completed job.
    const withJob = new Set(jobs.map((j) => j.document_id));
    for (const d of docs) if (d.ocr_status === 'completed' && !withJob.has(d.id)) doubleCompleted.push(`${d.path} (completed, no completed job)`);
    return {
      inputs: inputPaths.length,
      documents: docs.length,
      missing,
      nonTerminal,
      completed: docs.filter((d) => d.ocr_status === 'completed').length,
      failed: docs.filter((d) => d.ocr_status === 'failed').length,
      doubleCompleted,
      completedJobs,
      integrity,
      leftoverPids: taggedPids(tag),
    };
  } finally {
    db.close();
  }
}

async function waitNoProcesses(tag: string, limitMs = 10_000): Promise<void> {
  const start = Date.now();
  while (taggedPids(tag).length && Date.now() - start < limitMs) await sleep(100);
}

function envFor(o: ChaosOptions, tag: string, data: string): NodeJS.ProcessEnv {
  const env = cliEnv(tag, { QUIRE_DATA_DIR: data });
  if (o.engine === 'tesseract') env.QUIRE_TEST_ENGINE = 'tesseract';
  return env;
}

function makeFiles(o: ChaosOptions, random: () => number, tag: string): InputFile[] {
  return o.engine === 'fake' ? fakeInputs(o.files, tag, o.fakeDelayMs ?? 40, random) : realInputs(o.files, tag);
}

/** Scenario 1: `quire run <folder>` killed at random moments, restarted until it exits by itself. */
export async function chaosRun(o: ChaosOptions, root: string): Promise<ScenarioReport> {
  const log = o.log ?? (() => {});
  const random = rng(o.seed);
  const tag = `chaos-run-${process.pid}-${Date.now()}`;
  const scans = join(root, 'run-scans');
  const data = join(root, 'run-data');
  const dbPath = join(data, 'quire.db');
  const inputPaths = writeInputs(scans, makeFiles(o, random, `run-${o.seed}`));
  // Ingest commits in batches (1,000 files by default); batches of files/30 make a small batch's
  // ingest a run of ~30 transactions, as a large folder's is, so a kill can land inside it.
  const env = { ...envFor(o, tag, data), QUEUE_BATCH_SIZE: String(Math.max(1, Math.floor(o.files / 30))) };
  const started = Date.now();
  const deadline = started + (o.deadlineMs ?? 30 * 60_000);
  // Spread the kills over the expected run: a fake page takes fakeDelayMs on one of 2 workers.
  const expectedMs = o.engine === 'fake' ? (o.files * 2 * (o.fakeDelayMs ?? 40)) / 2 + 2000 : o.files * 600 + 5000;
  const kills: ScenarioReport['kills'] = [];
  let restarts = 0;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`chaos run did not finish in time (seed ${o.seed})`);
    const run = startQuire(['run', scans, '--concurrency', '2'], env);
    if (kills.length < o.kills) {
      // Three kinds of moment, each waited for (bounded) so the kill lands in it, not in start-up.
      // The first three kills take one of each (ingest, mid-OCR, right after a commit); the rest
      // are drawn at random. Ingest kills only mean something while documents are being added.
      const mode = random();
      const t0 = Date.now();
      const first = peek(dbPath);
      const planned = kills.length < 3 ? (['ingest', 'ocr', 'commit'] as const)[kills.length]! : mode < 0.3 ? 'ingest' : mode < 0.65 ? 'ocr' : 'commit';
      const kind = planned === 'ingest' && first.docs >= o.files ? 'ocr' : planned;
      if (kind === 'ingest') {
        // Kill as soon as this run's first ingest batch is visible, while later ones are still coming.
        const end = Date.now() + 15_000;
        while (peek(dbPath).docs <= first.docs && Date.now() < end && run.child.exitCode === null) await sleep(1);
      }
      let sawCommit = false;
      if (kind !== 'ingest') {
        // Rows left 'processing' by the killed predecessor do not prove this process works yet:
        // wait for its first commit.
        await waitForCommit(dbPath, 30_000);
        if (kind === 'ocr') await sleep(random() * Math.min(expectedMs / 4, 4000));
        else sawCommit = await waitForCommit(dbPath, 10_000);
      }
      const stillRunning = run.child.exitCode === null && run.child.signalCode === null;
      if (stillRunning) {
        run.child.kill('SIGKILL');
        await run.exited;
        const phase = phaseOf(dbPath, o.files);
        // Where it landed, from the queue as the kill left it: documents still missing (ingest),
        // a commit seen just before (commit), jobs held by the dead run (mid-OCR), or none of these.
        const at = peek(dbPath);
        const landed = at.docs < o.files ? 'ingest' : sawCommit ? 'commit' : at.processing > 0 ? 'ocr' : 'between jobs';
        kills.push({ atMs: Date.now() - t0, target: 'quire run', phase: `${kind}: ${phase}`, landed });
        log(`  kill ${kills.length}: quire run after ${Date.now() - t0} ms, ${kills[kills.length - 1]!.phase}`);
        restarts++;
        await waitNoProcesses(tag);
        continue;
      }
    }
    const code = await run.exited;
    if (code !== 0 && code !== 1) throw new Error(`quire run exited ${code}: ${(run.child as unknown as { lastErr: () => string }).lastErr()}`);
    break;
  }
  await waitNoProcesses(tag);
  return { scenario: 'run', ...checkInvariants(dbPath, inputPaths, tag), kills, restarts, elapsedMs: Date.now() - started };
}

/** Write one file in two halves with a pause, like a slow copy. */
async function copyIn(path: string, bytes: Buffer, pauseMs: number): Promise<void> {
  mkdirSync(join(path, '..'), { recursive: true });
  const fd = openSync(path, 'w');
  try {
    const half = Math.floor(bytes.length / 2);
    writeSync(fd, bytes, 0, half);
    if (pauseMs) await sleep(pauseMs);
    writeSync(fd, bytes, half, bytes.length - half);
  } finally {
    closeSync(fd);
  }
}

/**
 * Scenario 2: a watched folder. `quire watch run` (enqueues) and `quire worker` (OCRs) run side by
 * side on one database while files are copied in; either is SIGKILLed at random moments and started again.
 */
export async function chaosWatch(o: ChaosOptions, root: string): Promise<ScenarioReport> {
  const log = o.log ?? (() => {});
  const random = rng(o.seed ^ 0x5eed);
  const tag = `chaos-watch-${process.pid}-${Date.now()}`;
  const watched = join(root, 'watched');
  const data = join(root, 'watch-data');
  const dbPath = join(data, 'quire.db');
  mkdirSync(watched, { recursive: true });
  const env = envFor(o, tag, data);
  const started = Date.now();
  const deadline = started + (o.deadlineMs ?? 30 * 60_000);
  const add = startQuire(['watch', 'add', watched], env);
  if ((await add.exited) !== 0) throw new Error('quire watch add failed');

  const files = makeFiles(o, random, `watch-${o.seed}`);
  const inputPaths = files.map((f) => join(watched, f.name));
  const hosts: Record<'watcher' | 'worker', ReturnType<typeof startQuire>> = {
    watcher: startQuire(['watch', 'run'], env),
    worker: startQuire(['worker', '--concurrency', '2'], env),
  };
  const kills: ScenarioReport['kills'] = [];
  let restarts = 0;
  // Copying takes at least ~6 s so that kills land while files arrive; hosts start in ~1-2 s.
  const gapMs = Math.max(10, Math.round(6000 / files.length));
  // Most kills while files arrive; about a third after, while the worker OCRs what came in.
  const afterMs = o.engine === 'fake' ? 2000 : Math.min(20_000, files.length * 100);
  // A kill meant for the copying is tied to a file count, not to a clock, so that a slow machine
  // cannot let the copying finish first; the others come a random while after the last file.
  const firstIndex = Math.min(files.length - 2, Math.ceil(1500 / gapMs));
  const killAt = Array.from({ length: o.kills }, (_, i) =>
    i % 3 === 2
      ? { afterCopyMs: random() * afterMs }
      : { file: firstIndex + Math.floor(random() * (files.length - 1 - firstIndex)) },
  ).sort((a, b) => rank(a) - rank(b));
  function rank(k: { file?: number; afterCopyMs?: number }): number {
    return k.file ?? files.length + k.afterCopyMs!;
  }
  let copiedCount = 0;
  let copiedAt = 0;
  const copying = (async () => {
    for (const f of files) {
      await copyIn(join(watched, f.name), f.bytes, random() < 0.1 ? 50 : 0);
      copiedCount++;
      await sleep(gapMs);
    }
    copiedAt = Date.now();
  })();
  const t0 = Date.now();
  for (const at of killAt) {
    if (at.file !== undefined) {
      while (copiedCount < at.file) await sleep(5);
    } else {
      await copying;
      await sleep(Math.max(0, copiedAt + at.afterCopyMs! - Date.now()));
    }
    // The first kill takes the watching host, the second the worker; the rest are drawn at random.
    const target: 'watcher' | 'worker' = kills.length === 0 ? 'watcher' : kills.length === 1 ? 'worker' : random() < 0.5 ? 'watcher' : 'worker';
    const h = hosts[target];
    const copied = readdirSyncDeep(watched).length;
    const phase = `${copied}/${files.length} files copied; ${phaseOf(dbPath, files.length)}`;
    h.child.kill('SIGKILL');
    await h.exited;
    kills.push({ atMs: Date.now() - t0, target: target === 'watcher' ? 'quire watch run' : 'quire worker', phase });
    log(`  kill ${kills.length}: ${kills[kills.length - 1]!.target} at ${Date.now() - t0} ms, ${phase}`);
    await sleep(50 + random() * 300);
    hosts[target] = startQuire(target === 'watcher' ? ['watch', 'run'] : ['worker', '--concurrency', '2'], env);
    restarts++;
  }
  await copying;
  // Let both hosts finish: every file has a document and nothing is pending or processing.
  for (;;) {
    if (Date.now() > deadline) break;
    const p = peek(dbPath);
    if (p.docs >= files.length && p.pending + p.processing === 0) break;
    await sleep(250);
  }
  for (const h of Object.values(hosts)) h.child.kill('SIGTERM');
  await Promise.all(Object.values(hosts).map((h) => h.exited));
  await waitNoProcesses(tag);
  return { scenario: 'watch', ...checkInvariants(dbPath, inputPaths, tag), kills, restarts, elapsedMs: Date.now() - started };
}

function readdirSyncDeep(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...readdirSyncDeep(join(dir, e.name)));
    else out.push(join(dir, e.name));
  }
  return out;
}

export function formatReport(r: ScenarioReport, root: string): string {
  const lines = [
    `scenario ${r.scenario}: ${r.inputs} inputs, ${r.kills.length} SIGKILLs, ${r.restarts} restarts, ${(r.elapsedMs / 1000).toFixed(1)} s`,
    `  documents ${r.documents} (missing inputs: ${r.missing.length})`,
    `  terminal: ${r.completed} completed, ${r.failed} failed; not terminal: ${r.nonTerminal.length}`,
    `  completed jobs ${r.completedJobs}; documents completed more than once (or without a job): ${r.doubleCompleted.length}`,
    `  integrity_check: ${r.integrity}`,
    `  Quire processes left behind: ${r.leftoverPids.length}`,
  ];
  for (const k of r.kills) lines.push(`    kill: ${k.target} after ${k.atMs} ms, ${k.landed ? `landed in ${k.landed}, ` : ''}${k.phase}`);
  for (const m of [...r.missing, ...r.nonTerminal, ...r.doubleCompleted].slice(0, 10)) lines.push(`    ! ${relative(root, m) || m}`);
  return lines.join('\n');
}

export function ok(r: Invariants): boolean {
  return (
    r.missing.length === 0 &&
    r.nonTerminal.length === 0 &&
    r.doubleCompleted.length === 0 &&
    (r.integrity === 'ok' || r.integrity === 'n/a (PostgreSQL)') &&
    r.leftoverPids.length === 0 &&
    r.documents === r.inputs
  );
}

async function cli(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string, dflt: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
  };
  const o: ChaosOptions = {
    files: Number(flag('files', '300')),
    kills: Number(flag('kills', '10')),
    seed: Number(flag('seed', String(Math.floor(Math.random() * 2 ** 31)))),
    engine: flag('engine', 'tesseract') === 'fake' ? 'fake' : 'tesseract',
    only: (flag('only', '') || undefined) as ChaosOptions['only'],
  };
  process.stdout.write(`chaos: seed ${o.seed}, ${o.files} files, ${o.kills} kills per scenario, engine ${o.engine}\n`);
  const root = mkdtempSync(join(tmpdir(), 'quire-chaos-'));
  let good = true;
  const databaseUrl = flag('database-url', '');
  try {
    if (databaseUrl) {
      const { chaosPgWorkers } = await import('./chaos-pg');
      const r = await chaosPgWorkers({ ...o, databaseUrl, workers: Number(flag('workers', '3')), log: (l) => process.stdout.write(`${l}\n`) }, root);
      process.stdout.write(`${formatReport(r, root)}\n`);
      good &&= ok(r);
    }
    if (!databaseUrl) for (const scenario of ['run', 'watch'] as const) {
      if (o.only && o.only !== scenario) continue;
      const r = scenario === 'run' ? await chaosRun(o, root) : await chaosWatch(o, root);
      process.stdout.write(`${formatReport(r, root)}\n`);
      good &&= ok(r);
    }
  } finally {
    if (good) rmSync(root, { recursive: true, force: true });
    else process.stdout.write(`kept for inspection: ${root}\n`);
  }
  process.stdout.write(good ? 'chaos: PASS\n' : `chaos: FAIL (replay with --seed ${o.seed})\n`);
  process.exitCode = good ? 0 : 1;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) void cli();
