/**
 * A queue database locked by another process is a storage fault like a full disk: `quire run`
 * waits and says so, keeps its results, and charges no attempt to any file. Another process holds
 * the SQLite write lock (BEGIN IMMEDIATE) for 25 s, once before the run starts adding files and
 * once in the middle of a run; both cases run side by side.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, quire, startQuire, taggedPids, writeScripts } from '../pool/cli-helpers';

const TAG = `busy-db-${process.pid}`;
const LOCK_MS = 25_000;
const dirs: string[] = [];
const lockers: ChildProcess[] = [];
afterAll(() => {
  for (const l of lockers) l.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Another process holding the write lock for `ms`; resolves once it holds it. */
function holdWriteLock(dbPath: string, ms: number): Promise<ChildProcess> {
  const code = `
    const db = new (require('better-sqlite3'))(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['-e', code, dbPath, String(ms)], { stdio: ['ignore', 'pipe', 'inherit'], cwd: process.cwd() });
  lockers.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (c) => reject(new Error(`the locker exited (${c}) before locking`)));
  });
}

function jobsOf(dbPath: string): { status: string; attempts: number }[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare('SELECT status, attempts FROM ocr_queue ORDER BY created_at').all() as { status: string; attempts: number }[];
  } finally {
    db.close();
  }
}

async function until(what: string, f: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function setUp(name: string, files: number, script: string) {
  const dir = mkdtempSync(join(tmpdir(), `quire-busy-${name}-`));
  dirs.push(dir);
  const data = join(dir, 'data');
  const scans = join(dir, 'scans');
  writeScripts(scans, Object.fromEntries(Array.from({ length: files }, (_, i) => [`${name}-${i}.png`, `${script}\ntext ${name} ${i}`])));
  return { data, scans, db: join(data, 'quire.db') };
}

describe('a queue database locked by another process', () => {
  it('is waited out, said, and charges no attempt: locked for 25 s before the run adds files, and for 25 s mid-run', async () => {
    const env = cliEnv(TAG);
    const atStart = async () => {
      const s = setUp('start', 3, 'delay 50');
      expect((await quire(['config', 'list', '--data-dir', s.data], env)).code).toBe(0); // the database exists
      await holdWriteLock(s.db, LOCK_MS);
      return quire(['run', s.scans, '--data-dir', s.data], env).then((r) => ({ r, s }));
    };
    const midRun = async () => {
      const s = setUp('mid', 6, 'pages 2\ndelay 1200');
      expect((await quire(['config', 'list', '--data-dir', s.data], env)).code).toBe(0); // the database exists
      const run = startQuire(['run', s.scans, '--data-dir', s.data, '--concurrency', '2'], env);
      await until('the first jobs to be running', () => jobsOf(s.db).some((j) => j.status === 'processing'));
      await holdWriteLock(s.db, LOCK_MS);
      return run.done.then((r) => ({ r, s }));
    };
    const [start, mid] = await Promise.all([atStart(), midRun()]);

    for (const { r, s } of [start, mid]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/The queue database is locked by another process \(SQLITE_BUSY/);
      expect(r.stderr).toMatch(/The queue database lock was released; processing resumed\./);
      // Every file completed at its first attempt: the wait was not charged to any of them.
      const jobs = jobsOf(s.db);
      expect(jobs.length).toBeGreaterThan(0);
      expect(jobs.every((j) => j.status === 'completed' && j.attempts === 1), JSON.stringify(jobs)).toBe(true);
    }
    expect(jobsOf(start.s.db)).toHaveLength(3);
    expect(jobsOf(mid.s.db)).toHaveLength(6);
    expect(start.r.stdout).toMatch(/3 files completed, 0 failed/);
    expect(mid.r.stdout).toMatch(/6 files completed, 0 failed/);
    expect(taggedPids(TAG)).toEqual([]);
  }, 180_000);
});
