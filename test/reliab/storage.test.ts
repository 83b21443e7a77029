/**
 * Storage faults: a full disk during a run and during ingest (a small tmpfs holding the data
 * folder, grown while the run waits), a read-only data folder at start, a read-only database
 * during a run, the kernel remounting the data folder's file system read-only after a disk error,
 * and a damaged database file. Mounting and chattr need root (CI runs as root); elsewhere those
 * tests are skipped, and say why in their titles.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { cliEnv, quire, startQuire, taggedPids } from '../pool/cli-helpers';
import { waitUntil } from '../pool/harness';
import { databaseFiles, ext4ErrorTrigger, immutableCapableDir, mountExt4, mountNote, mountTmpfs, needsMount, remount, slowInputs, umount } from './fs-faults';

/** Scripted files whose text is large: 150 of them need ~2 MB of database. */
function bulkyInputs(dir: string, n: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) {
    writeFileSync(join(dir, `f${i}.png`), `name ${i}\npages 3\ntext ${`lorem ipsum dolor sit amet ${i} `.repeat(150)}\n`);
  }
}

function summary(dbPath: string) {
  const db = new Database(dbPath, { readonly: true });
  try {
    return {
      integrity: (db.pragma('integrity_check', { simple: true }) as string) ?? '',
      byStatus: Object.fromEntries(
        (db.prepare('SELECT ocr_status AS s, count(*) AS n FROM documents GROUP BY ocr_status').all() as { s: string; n: number }[]).map((r) => [r.s, r.n]),
      ),
      doubled: (db.prepare("SELECT count(*) AS n FROM (SELECT document_id FROM ocr_queue WHERE status = 'completed' GROUP BY document_id HAVING count(*) > 1)").get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

/** `quire run --verbose` in the background; waits on its stderr fail at once if it ends or dies. */
function startRun(scans: string, tag: string, data: string) {
  const run = startQuire(['run', scans, '--concurrency', '2', '--verbose'], cliEnv(tag, { QUIRE_DATA_DIR: data }));
  let stderr = '';
  run.child.stderr!.on('data', (d) => (stderr += d));
  const ended = () => {
    const { exitCode, signalCode } = run.child;
    return signalCode ? `killed by ${signalCode}` : exitCode !== null ? `exited with ${exitCode}` : '';
  };
  return {
    ...run,
    stderr: () => stderr,
    ended,
    async waitFor(needle: string, what: string): Promise<void> {
      await waitUntil(() => stderr.includes(needle) || ended() !== '', 60_000, what).catch((err: Error) => {
        throw new Error(`${err.message}; the run's stderr ended with:\n${stderr.slice(-4000)}`);
      });
      if (!stderr.includes(needle)) throw new Error(`the run ${ended()} before ${what}; its stderr ended with:\n${stderr.slice(-4000)}`);
    },
  };
}

function completedPaths(dbPath: string): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare("SELECT path FROM documents WHERE ocr_status = 'completed' ORDER BY path").all() as { path: string }[]).map((r) => r.path);
  } finally {
    db.close();
  }
}

function summaryOrNull(dbPath: string): ReturnType<typeof summary> | null {
  try {
    return existsSync(dbPath) ? summary(dbPath) : null;
  } catch {
    return null; // not created yet, or busy
  }
}

describe('storage faults', () => {
  it.skipIf(needsMount)(`full disk during a run: a clear message, no corrupt database, resumes by itself when space returns${mountNote}`, async () => {
    const base = tempDir('quire-full-');
    const data = join(base, 'data');
    const scans = join(base, 'scans');
    bulkyInputs(scans, 150);
    mountTmpfs(data, '1m');
    try {
      const tag = `full-${process.pid}-${Date.now()}`;
      const run = startRun(scans, tag, data);
      await run.waitFor('Cannot write to the queue database', 'the disk-full message');
      expect(run.stderr()).toContain('SQLITE_FULL');
      expect(run.stderr()).toContain('free disk space');
      // While full: the database is intact and nothing is lost.
      expect(summary(join(data, 'quire.db')).integrity).toBe('ok');
      remount(data, 'size=32m');
      const r = await run.done;
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('writable again');
      const s = summary(join(data, 'quire.db'));
      expect(s).toEqual({ integrity: 'ok', byStatus: { completed: 150 }, doubled: 0 });
      expect(taggedPids(tag)).toEqual([]);
    } finally {
      umount(data);
    }
  }, 120_000);

  it.skipIf(needsMount)(`read-only data folder: refused with a clear message, works once writable${mountNote}`, async () => {
    const base = tempDir('quire-ro-');
    const data = join(base, 'data');
    const scans = join(base, 'scans');
    bulkyInputs(scans, 5);
    mountTmpfs(data, '16m');
    try {
      const tag = `ro-${process.pid}-${Date.now()}`;
      const env = cliEnv(tag, { QUIRE_DATA_DIR: data });
      expect((await quire(['ingest', scans], env)).code).toBe(0);
      remount(data, 'ro');
      const refused = await quire(['run', scans], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/read-only/);
      expect(refused.stderr).not.toMatch(/unexpected error/);
      remount(data, 'rw');
      expect(summary(join(data, 'quire.db')).integrity).toBe('ok');
      const ok = await quire(['run', scans], env);
      expect(ok.code).toBe(0);
      expect(summary(join(data, 'quire.db'))).toEqual({ integrity: 'ok', byStatus: { completed: 5 }, doubled: 0 });
    } finally {
      umount(data);
    }
  }, 120_000);

  it.skipIf(needsMount)(`full disk during ingest: says so, how many files got in, nothing half-written; the same command finishes later${mountNote}`, async () => {
    const base = tempDir('quire-ingest-full-');
    const data = join(base, 'data');
    const scans = join(base, 'scans');
    mkdirSync(scans, { recursive: true });
    // Long names make the rows big, so the database outgrows the space left after a few batches.
    const n = 3000;
    for (let i = 0; i < n; i++) writeFileSync(join(scans, `${'scan-of-a-long-named-page-'.repeat(6)}${i}.png`), `name ${i}\ntext x\n`);
    mountTmpfs(data, '16m');
    try {
      const tag = `ingest-full-${process.pid}-${Date.now()}`;
      const env = cliEnv(tag, { QUIRE_DATA_DIR: data, QUEUE_BATCH_SIZE: '200' });
      expect((await quire(['config', 'list'], env)).code).toBe(0); // the database exists
      // Leave ~300 KB free: room for a few batches, not for all of them.
      const free = Number(execFileSync('df', ['--output=avail', '-B1', data], { encoding: 'utf8' }).split('\n')[1]);
      writeFileSync(join(data, 'filler'), Buffer.alloc(Math.max(0, free - 300 * 1024)));
      const full = await quire(['ingest', scans], env);
      expect(full.code).toBe(1);
      expect(full.stderr).not.toMatch(/unexpected error/);
      expect(full.stderr).toContain('The disk holding the queue database is full (SQLITE_FULL');
      expect(full.stderr).toContain('Nothing was half-written');
      expect(full.stderr).toContain('Free disk space');
      const got = Number(/stopped after (\d+) files? (?:was|were) enqueued/.exec(full.stderr)?.[1]);
      expect(got % 200).toBe(0); // whole batches only
      expect(got).toBeLessThan(n);
      rmSync(join(data, 'filler'));
      const db = summary(join(data, 'quire.db'));
      expect(db.integrity).toBe('ok');
      expect(db.byStatus).toEqual(got ? { pending: got } : {});
      // Space again: the same command adds the rest, and skips what is already queued.
      const again = await quire(['ingest', scans], env);
      expect(again.stderr).not.toMatch(/quire:/);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(new RegExp(`enqueued\\s+${n - got}\\b`));
      expect(summary(join(data, 'quire.db'))).toEqual({ integrity: 'ok', byStatus: { pending: n }, doubled: 0 });
      expect(taggedPids(tag)).toEqual([]);
    } finally {
      umount(data);
    }
  }, 60_000);

  // Two ways a data folder turns read-only under a running queue. The writes of SQLite's files
  // fail (EPERM / EROFS); its shared-memory index (quire.db-shm, a shared mapping) is memory, not
  // storage. Making the -shm itself immutable (chattr +i) is not a fault a disk produces: ext4 then
  // answers a write through the mapping with SIGBUS once the page has been written back, and the
  // process dies as under kill -9 (nothing lost, but no message). So the first test freezes the
  // database and its log, and the second lets the kernel remount the file system read-only after
  // an error, which is what a failing disk does.
  it.skipIf(needsMount)(`read-only database DURING a run (chattr +i on quire.db and its log): a clear message, no corrupt database, resumes by itself when writable${mountNote}`, async () => {
    const base = tempDir('quire-ro-run-');
    const data = join(base, 'data');
    const scans = join(base, 'scans');
    slowInputs(scans, 40);
    const undo = immutableCapableDir(data, join(base, 'ext4.img'));
    const frozen = () => databaseFiles(data);
    try {
      const tag = `ro-run-${process.pid}-${Date.now()}`;
      const run = startRun(scans, tag, data);
      await waitUntil(() => summaryOrNull(join(data, 'quire.db'))?.byStatus.completed !== undefined, 60_000, 'a first completed file');
      execFileSync('chattr', ['+i', ...frozen()]);
      try {
        await run.waitFor('Cannot write to the queue database', 'the read-only message');
        expect(run.stderr()).toMatch(/SQLITE_(IOERR|READONLY)/);
        expect(run.stderr()).toContain('make the data folder writable');
        expect(run.stderr()).toMatch(/^\{.*"msg":"storage fault".*\}$/m); // --verbose: the core's log as JSON lines
        // It waits rather than ending: still running a few seconds later.
        await new Promise((r) => setTimeout(r, 3000));
        expect(run.ended()).toBe('');
      } finally {
        execFileSync('chattr', ['-i', ...frozen()]);
      }
      const r = await run.done;
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('writable again');
      expect(summary(join(data, 'quire.db'))).toEqual({ integrity: 'ok', byStatus: { completed: 40 }, doubled: 0 });
      expect(taggedPids(tag)).toEqual([]);
    } finally {
      undo();
    }
  }, 120_000);

  it.skipIf(needsMount)(`data folder's file system remounted read-only by the kernel after a disk error DURING a run: a clear message, waits, no corrupt database; after the disk is checked, a new run finishes exactly once${mountNote}`, async () => {
    const base = tempDir('quire-emergency-ro-');
    const data = join(base, 'data');
    const scans = join(base, 'scans');
    const image = join(base, 'ext4.img');
    slowInputs(scans, 40);
    mkdirSync(data, { recursive: true });
    mountExt4(data, image, 'errors=remount-ro');
    let mounted = true;
    try {
      const tag = `emergency-ro-${process.pid}-${Date.now()}`;
      const run = startRun(scans, tag, data);
      await waitUntil(() => summaryOrNull(join(data, 'quire.db'))?.byStatus.completed !== undefined, 60_000, 'a first completed file');
      const before = completedPaths(join(data, 'quire.db'));
      // What ext4 does on a metadata error with errors=remount-ro: every later write gets EROFS.
      const trigger = ext4ErrorTrigger(data);
      if (!existsSync(trigger)) throw new Error(`${trigger} is missing: this kernel cannot raise an ext4 error on demand, so this test cannot run here`);
      writeFileSync(trigger, 'quire storage test');
      await run.waitFor('Cannot write to the queue database', 'the read-only message');
      expect(run.stderr()).toMatch(/SQLITE_(IOERR|READONLY)/);
      expect(run.stderr()).toContain('make the data folder writable');
      await new Promise((r) => setTimeout(r, 3000));
      expect(run.ended()).toBe(''); // waiting for the disk, not dead
      // This kernel keeps such a file system read-only until it is unmounted and checked: the
      // user stops the run, repairs the disk, and runs again.
      run.child.kill('SIGINT');
      const stopped = await run.done;
      expect(stopped.signal).toBeNull();
      expect(taggedPids(tag)).toEqual([]);
      umount(data);
      mounted = false;
      try {
        execFileSync('e2fsck', ['-f', '-y', image], { stdio: 'ignore' });
      } catch (err) {
        if ((err as { status?: number }).status !== 1) throw err; // 1: errors corrected
      }
      execFileSync('mount', ['-o', 'loop', image, data]);
      mounted = true;
      // Every commit was flushed (QUIRE_SQLITE_SYNCHRONOUS=full, the default): the 40 files added
      // and every result stored before the error survived the disk's failure.
      const after = summary(join(data, 'quire.db'));
      expect(after.integrity).toBe('ok');
      expect(Object.values(after.byStatus).reduce((a, n) => a + n, 0)).toBe(40);
      expect(before.length).toBeGreaterThan(0);
      expect(completedPaths(join(data, 'quire.db'))).toEqual(expect.arrayContaining(before));
      const again = await quire(['run', scans, '--concurrency', '2'], cliEnv(tag, { QUIRE_DATA_DIR: data }));
      expect(again.code).toBe(0);
      expect(summary(join(data, 'quire.db'))).toEqual({ integrity: 'ok', byStatus: { completed: 40 }, doubled: 0 });
      expect(taggedPids(tag)).toEqual([]);
    } finally {
      if (mounted) umount(data);
    }
  }, 120_000);

  it('a damaged database is refused with what to do; quire repair --move-aside keeps it and starts fresh', async () => {
    const data = tempDir('quire-corrupt-');
    const env = cliEnv(`corrupt-${process.pid}`, { QUIRE_DATA_DIR: data });
    expect((await quire(['config', 'list'], env)).code).toBe(0);
    expect((await quire(['repair'], env)).stdout).toContain('healthy');
    // Overwrite the header and first pages: no longer a database.
    writeFileSync(join(data, 'quire.db'), Buffer.alloc(16384, 0x5a));
    const refused = await quire(['stats'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is damaged or is not a Quire database');
    expect(refused.stderr).toContain('quire repair --move-aside');
    const check = await quire(['repair'], env);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('is damaged');
    const moved = await quire(['repair', '--move-aside'], env);
    expect(moved.code).toBe(0);
    const aside = readdirSync(data).filter((f) => f.startsWith('quire.db.broken-') && !/-(wal|shm)$/.test(f));
    expect(aside).toHaveLength(1);
    expect(moved.stdout).toContain(aside[0]);
    // The old file is kept byte for byte; a fresh queue works.
    expect(readFileSync(join(data, aside[0]!))).toEqual(Buffer.alloc(16384, 0x5a));
    // Until files are added again there is no queue, and reading commands say so rather than answering zeros.
    const empty = await quire(['stats'], env);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain(`There is no Quire queue in ${data}`);
    expect((await quire(['config', 'list'], env)).code).toBe(0);
    expect((await quire(['repair'], env)).stdout).toContain('healthy');
  }, 60_000);

  it('a page damaged inside a valid database during use: quire run stops with what to do instead of waiting without a word', async () => {
    const root = tempDir('quire-damaged-page-');
    const data = join(root, 'data');
    const scans = join(root, 'scans');
    mkdirSync(scans);
    for (let i = 0; i < 300; i++) writeFileSync(join(scans, `p${i}.png`), `name ${i}\ntext page ${i} ${'words '.repeat(40)}\n`);
    const env = cliEnv(`damaged-page-${process.pid}`, { QUIRE_DATA_DIR: data });
    expect((await quire(['ingest', scans], env)).code).toBe(0);
    // Fold the log into the file, find the claim index's first page, and scribble over its cells
    // (the 8-byte page header stays, so the file still opens as a database).
    const db = new Database(join(data, 'quire.db'));
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const { rootpage } = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'ocr_queue_claim'").get() as { rootpage: number };
    db.close();
    const fd = openSync(join(data, 'quire.db'), 'r+');
    writeSync(fd, Buffer.alloc(2000, 0xff), 0, 2000, (rootpage - 1) * pageSize + 8);
    closeSync(fd);

    const run = await quire(['run', scans, '--concurrency', '2'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^The queue database is damaged \(SQLITE_CORRUPT[A-Z_]*: /m);
    expect(run.stderr.match(/The queue database is damaged/g)).toHaveLength(1); // said once
    expect(run.stderr).toContain('`quire repair --move-aside` keeps it');
    const check = await quire(['repair'], env);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('is damaged');
    expect((await quire(['repair', '--move-aside'], env)).code).toBe(0);
    const again = await quire(['run', scans, '--concurrency', '2'], env);
    expect(again.code).toBe(0);
    expect(summary(join(data, 'quire.db'))).toEqual({ integrity: 'ok', byStatus: { completed: 300 }, doubled: 0 });
  }, 120_000);
});
