/**
 * The `quire` command end to end: real processes, real SQLite files in temp folders.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../src/core/store/migrations';
import { SqliteJobStore } from '../src/core/store/sqlite/store';
import { MIGRATIONS_SQLITE, REPO_ROOT, tempDir } from './helpers';
import { queuePolicy } from '../src/core/queue/policy';

const BIN = join(REPO_ROOT, 'bin/quire.js');
const root = tempDir();
chmodSync(root, 0o755); // other users (the unprivileged runs below) must reach inside

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function quire(args: string[], opts: { env?: Record<string, string>; asNobody?: boolean } = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, QUIRE_DATA_DIR: '', ...opts.env },
    ...(opts.asNobody && isRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let n = 0;
function dataDir(): string {
  const d = join(root, `data${++n}`);
  mkdirSync(d);
  return d;
}

function write(path: string, content = 'x'): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** A one-line message on stderr, no stack trace. */
function expectCleanError(r: Run, pattern: RegExp) {
  expect(r.code).not.toBe(0);
  expect(r.err).toMatch(pattern);
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(r.err.trim().split('\n')).toHaveLength(1);
}

describe('quire CLI', () => {
  it('--help lists every command with one line each', () => {
    const r = quire(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['ingest', 'stats', 'failures', 'requeue-failed', 'pause', 'resume', 'cancel', 'config']) {
      expect(r.out).toMatch(new RegExp(`^  ${cmd}\\s+\\S.*$`, 'm'));
    }
    const langs = quire(['languages', '--data-dir', dataDir()]);
    expect(langs.code).toBe(0);
    expect(langs.out).toMatch(/^eng +English {2}\(in use\)$/m);
    // Shipped with the app (npm install copies them), not in use until chosen.
    for (const [code, name] of [['deu', 'German'], ['fra', 'French'], ['spa', 'Spanish'], ['ita', 'Italian'], ['por', 'Portuguese'], ['nld', 'Dutch']]) {
      expect(langs.out).toMatch(new RegExp(`^${code} +${name}$`, 'm'));
    }
    expect(langs.out).not.toMatch(/^osd/m); // the orientation model is not a language
    const unknown = quire(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command "frobnicate"/);
    const badFlag = quire(['stats', '--nope']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.err).toMatch(/Usage: quire stats/);
  });

  it('every command has its own help: usage, what it does, and more than one line of detail', () => {
    const names = [...quire(['--help']).out.split('Global options:')[0]!.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(15);
    for (const name of names) {
      const r = quire([name, '--help']);
      expect(r.code, name).toBe(0);
      expect(r.out, name).toMatch(new RegExp(`^Usage: quire ${name}`));
      // Usage, a blank line, the summary, then a section of options or details.
      const sections = r.out.trim().split(/\n\n/);
      expect(sections.length, `${name} --help:\n${r.out}`).toBeGreaterThanOrEqual(3);
    }
  });

  it('ingests a folder, reports the summary, and stats match', () => {
    const d = dataDir();
    const t = join(root, 'tree1');
    write(join(t, 'a.png'));
    write(join(t, 'sub/b.pdf'));
    write(join(t, 'sub/c.txt'));
    write(join(t, '.hidden.png'));
    const r = quire(['ingest', t, '--data-dir', d]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^seen\s+3$/m);
    expect(r.out).toMatch(/^enqueued\s+2$/m);
    expect(r.out).toMatch(/^unchanged\s+0$/m);
    expect(r.out).toMatch(/^unsupported\s+1$/m);
    expect(r.out).toMatch(/^unreadable\s+0$/m);
    const again = quire(['ingest', t, '--data-dir', d]);
    expect(again.out).toMatch(/^enqueued\s+0$/m);
    expect(again.out).toMatch(/^unchanged\s+2$/m);

    const stats = JSON.parse(quire(['stats', '--json', '--data-dir', d]).out);
    for (const key of ['pending', 'processing', 'failed', 'completed_today', 'avg_wait_time_minutes', 'oldest_pending_minutes']) {
      expect(stats).toHaveProperty(key);
    }
    expect(stats).toMatchObject({ pending: 2, processing: 0, failed: 0, completed_today: 0 });
    // QUIRE_DATA_DIR is honoured like --data-dir.
    expect(JSON.parse(quire(['stats', '--json'], { env: { QUIRE_DATA_DIR: d } }).out).pending).toBe(2);
  });

  it('lists failures as text, JSON and CSV, and requeue-failed really requeues them', async () => {
    const d = dataDir();
    const t = join(root, 'tree2');
    write(join(t, 'ok.png'));
    write(join(t, 'bad, "quoted".pdf'));
    expect(quire(['ingest', t, '--data-dir', d]).code).toBe(0);
    const store = new SqliteJobStore({ path: join(d, 'quire.db'), migrations: loadMigrations(MIGRATIONS_SQLITE), policy: queuePolicy() });
    for (let job = await store.claim('w1'); job; job = await store.claim('w1')) {
      if (job.path.endsWith('.pdf')) await store.fail(job.jobId, 'w1', { kind: 'password_protected', message: '=cmd() is locked' });
      else await store.fail(job.jobId, 'w1', { kind: 'corrupt_file', message: 'truncated PNG' });
    }
    await store.close();

    const text = quire(['failures', '--data-dir', d]);
    expect(text.out).toMatch(/password_protected: =cmd\(\) is locked \(attempts: 1/);
    expect(text.out).toMatch(/2 failed/);
    const json = JSON.parse(quire(['failures', '--json', '--data-dir', d]).out) as { path: string; kind: string }[];
    expect(json.map((f) => f.kind).sort()).toEqual(['corrupt_file', 'password_protected']);
    // The same CSV as the app's Failures screen exports (CRLF lines, the reason in words).
    const csv = quire(['failures', '--csv', '--data-dir', d]).out.trim().split('\r\n');
    expect(csv[0]).toBe('path,error_kind,reason,message,attempts,job_id');
    expect(csv).toHaveLength(3);
    // Quotes escaped, and a formula-looking message neutralised for spreadsheets.
    expect(csv.join('\n')).toContain(
      `"${join(t, 'bad, ""quoted"".pdf')}",password_protected,The PDF is protected by a password; save an unprotected copy and add that.,'=cmd() is locked,1,`,
    );

    // Both are "fix the file" failures whose files have not changed: left, unless forced.
    const unchanged = quire(['requeue-failed', '--data-dir', d]);
    expect(unchanged.out).toContain('0 requeued; 2 left as they are: the file has not changed since it failed (1 corrupt_file, 1 password_protected).');
    const byKind = quire(['requeue-failed', '--kind', 'corrupt_file', '--force', '--data-dir', d]);
    expect(byKind.out).toBe('1 requeued.\n');
    const rest = quire(['requeue-failed', '--force', '--data-dir', d]);
    expect(rest.out).toBe('1 requeued.\n');
    expect(JSON.parse(quire(['stats', '--json', '--data-dir', d]).out)).toMatchObject({ pending: 2, failed: 0 });
    expect(quire(['requeue-failed', '--kind', 'nonsense', '--data-dir', d]).code).toBe(2);
  });

  it('pause persists across runs; cancel one job or all pending', async () => {
    const d = dataDir();
    const t = join(root, 'tree3');
    for (const name of ['a', 'b', 'c']) write(join(t, `${name}.png`));
    quire(['ingest', t, '--data-dir', d]);
    expect(quire(['pause', '--data-dir', d]).code).toBe(0);
    expect(JSON.parse(quire(['stats', '--json', '--data-dir', d]).out).paused).toBe(true);
    const store = new SqliteJobStore({ path: join(d, 'quire.db'), migrations: loadMigrations(MIGRATIONS_SQLITE), policy: queuePolicy() });
    expect(await store.claim('w')).toBeNull();
    expect(quire(['resume', '--data-dir', d]).code).toBe(0);
    const job = await store.claim('w');
    expect(job).not.toBeNull();
    await store.close();

    const one = quire(['cancel', job!.jobId, '--data-dir', d]);
    expect(one.out).toBe('Cancelled 1 job.\n');
    expectCleanError(quire(['cancel', job!.jobId, '--data-dir', d]), /No pending or processing job with id/);
    expect(quire(['cancel', '--all-pending', '--data-dir', d]).out).toBe('Cancelled 2 jobs.\n');
    expect(quire(['cancel', '--data-dir', d]).code).toBe(2);
    expect(JSON.parse(quire(['stats', '--json', '--data-dir', d]).out)).toMatchObject({ pending: 0, cancelled: 3 });
  });

  it('config list, get and set: persisted, validated, env wins', () => {
    const d = dataDir();
    const list = quire(['config', 'list', '--data-dir', d]);
    expect(list.out).toMatch(/^concurrent_ocr_jobs\s+\d+\s+default\s+OCR_CONCURRENT_JOBS\s+at once$/m);
    expect(list.out).toMatch(/^ocr_languages\s+eng\s+default\s+OCR_LANGUAGES\s+next file$/m);
    expect(list.out).toMatch(/^queue_batch_size\s+1000\s+default\s+QUEUE_BATCH_SIZE\s+restart$/m);
    // Each change says when a running Quire applies it.
    expect(quire(['config', 'set', 'ocr_timeout_seconds', '90', '--data-dir', d]).out).toBe(
      'ocr_timeout_seconds = 90\nSaved; a running Quire applies it at once (within 5 seconds).\n',
    );
    expect(quire(['config', 'set', 'ocr_languages', 'eng+deu', '--data-dir', d]).out).toBe(
      'ocr_languages = eng+deu\nSaved; a running Quire applies it from the next file (within 5 seconds); files being read finish as they started.\n',
    );
    expect(quire(['config', 'set', 'worker_recycle_jobs', '100', '--data-dir', d]).out).toContain('Saved; a running Quire applies it from the next file');
    // More workers than cores: capped, and said.
    const many = quire(['config', 'set', 'concurrent_ocr_jobs', '64', '--data-dir', d]);
    expect(many.out).toMatch(/^concurrent_ocr_jobs = \d+\nCapped at \d+ OCR workers? \(asked for 64\): this computer has \d+ CPU cores?, and more workers would only wait for a core\.\n/);
    expect(quire(['config', 'get', 'ocr_timeout_seconds', '--data-dir', d]).out).toBe('90\n');
    expect(quire(['config', 'set', 'enable_background_ocr', 'off', '--data-dir', d]).code).toBe(0);
    expect(quire(['config', 'list', '--data-dir', d]).out).toMatch(/^enable_background_ocr\s+false\s+setting/m);
    expect(quire(['config', 'get', 'ocr_timeout_seconds', '--data-dir', d], { env: { OCR_TIMEOUT_SECONDS: '30' } }).out).toBe('30\n');

    expectCleanError(
      quire(['config', 'set', 'ocr_timeout_seconds', 'soon', '--data-dir', d]),
      /Invalid value "soon" for ocr_timeout_seconds: it accepts a whole number from 5 to 86400/,
    );
    expectCleanError(quire(['config', 'set', 'bogus', '1', '--data-dir', d]), /There is no setting called "bogus"/);
    expectCleanError(
      quire(['config', 'set', 'queue_batch_size', '5', '--data-dir', d]),
      /set the environment variable QUEUE_BATCH_SIZE instead\. Restart Quire to apply it: it is read from its environment variable when Quire starts\./,
    );
    expectCleanError(quire(['stats', '--data-dir', d], { env: { OCR_CONCURRENT_JOBS: 'many' } }), /OCR_CONCURRENT_JOBS/);
    expect(quire(['config', 'get', 'ocr_timeout_seconds', '--data-dir', d]).out).toBe('90\n');
  });

  it('errors are one line and a non-zero exit: missing path, data dir that is a file, corrupt or newer database', async () => {
    const d = dataDir();
    expectCleanError(quire(['ingest', join(root, 'does/not/exist'), '--data-dir', d]), /No such file or folder: .*does\/not\/exist/);
    expectCleanError(quire(['ingest', '--data-dir', d]), /ingest needs at least one file or folder/);

    const fileAsDir = write(join(root, 'iam-a-file'));
    expectCleanError(quire(['stats', '--data-dir', fileAsDir]), /data folder .*iam-a-file is a file, not a folder/);

    const corrupt = dataDir();
    writeFileSync(join(corrupt, 'quire.db'), 'garbage '.repeat(1000));
    expectCleanError(quire(['stats', '--data-dir', corrupt]), /damaged or is not a Quire database\. Move it aside/);

    const newer = dataDir();
    await new SqliteJobStore({ path: join(newer, 'quire.db'), migrations: loadMigrations(MIGRATIONS_SQLITE), policy: queuePolicy() }).close();
    const db = new Database(join(newer, 'quire.db'));
    db.prepare(`INSERT INTO schema_migrations (id, name, checksum, applied_at) VALUES (999, 'future', 'x', 0)`).run();
    db.close();
    expectCleanError(quire(['stats', '--data-dir', newer]), /written by a newer version of Quire \(schema 999/);

    // --verbose shows the details a developer needs.
    const verbose = quire(['stats', '--data-dir', corrupt, '--verbose']);
    expect(verbose.err).toMatch(/\n\s+at /);
  });

  it('a mistyped data folder is an error for commands that read the queue, not an empty queue', () => {
    const d = dataDir();
    write(join(root, 'typo-scans/a.png'), 'not really a png');
    expect(quire(['ingest', join(root, 'typo-scans'), '--data-dir', d]).code).toBe(0);
    const typo = `${d}x`;
    for (const args of [['stats'], ['search', 'anything'], ['failures'], ['text', join(root, 'typo-scans/a.png')], ['cancel', '--all-pending'], ['export', '--out', join(root, 'typo-out')]]) {
      const r = quire([...args, '--data-dir', typo]);
      expectCleanError(r, new RegExp(`There is no Quire queue in ${typo} \\(no quire\\.db there\\)\\. Check --data-dir or QUIRE_DATA_DIR`));
      expect(r.code).toBe(1);
    }
    // Nothing was created on the way, and the real queue still answers.
    expect(existsSync(typo)).toBe(false);
    expect(quire(['stats', '--json', '--data-dir', d]).out).toMatch(/"pending": 1/);
    // Commands that add work make the queue where they are told.
    expect(quire(['ingest', join(root, 'typo-scans'), '--data-dir', typo]).code).toBe(0);
    expect(existsSync(join(typo, 'quire.db'))).toBe(true);
  });

  it('unknown options and missing values are one sentence about the command, not the parser\'s text', () => {
    const unknown = quire(['run', '--bogus', join(root, 'x')]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('quire run: there is no option --bogus; its options are --concurrency <value>, --grace <value>, --lang <value>, --full-speed (quire run --help).');
    expect(unknown.err).not.toMatch(/To specify a positional argument|Unknown option/);
    const none = quire(['pause', '-x']);
    expect(none.code).toBe(2);
    expect(none.err).toContain('quire pause: there is no option -x; it takes no options of its own (quire pause --help).');
    const missing = quire(['search', 'word', '--limit']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('quire search: --limit needs a value, as in --limit <value>.');
    const extra = quire(['stats', '--json=yes']);
    expect(extra.code).toBe(2);
    expect(extra.err).toContain('quire stats: --json takes no value.');
  });

  it('a read-only database is refused with a clear message', async () => {
    const d = dataDir();
    await new SqliteJobStore({ path: join(d, 'quire.db'), migrations: loadMigrations(MIGRATIONS_SQLITE), policy: queuePolicy() }).close();
    chmodSync(join(d, 'quire.db'), 0o444);
    chmodSync(d, 0o555);
    // Root ignores permission bits: run as an unprivileged user to see what a user sees.
    const r = quire(['ingest', join(root, 'tree1'), '--data-dir', d], { asNobody: true });
    expectCleanError(r, /Cannot write to the database at .*read-only/);
    chmodSync(d, 0o755);
  });

  it('counts unreadable files and folders and lists them', () => {
    const d = dataDir();
    const t = join(root, 'tree-perm');
    write(join(t, 'ok.png'));
    write(join(t, 'secret.png'));
    write(join(t, 'locked/inside.png'));
    chmodSync(join(t, 'secret.png'), 0o000);
    chmodSync(join(t, 'locked'), 0o000);
    if (isRoot) chownSync(d, NOBODY, NOBODY);
    const r = quire(['ingest', t, '--data-dir', d], { asNobody: true });
    chmodSync(join(t, 'locked'), 0o755);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^enqueued\s+1$/m);
    expect(r.out).toMatch(/^unreadable\s+2$/m);
    expect(r.out).toContain(
      `Not read (2: 2 permission_denied):\n  ${join(t, 'locked')}\n    permission denied\n  ${join(t, 'secret.png')}\n    permission denied\n`,
    );
    // Kept: quire skipped names them with the reason later.
    const listed = JSON.parse(quire(['skipped', '--json', '--data-dir', d], { asNobody: true }).out);
    expect(listed.byReason).toEqual([{ reason: 'permission_denied', count: 2 }]);
    expect(listed.files.map((f: { path: string }) => f.path)).toEqual([join(t, 'locked'), join(t, 'secret.png')]);
    // Named on its own, a file Quire may not read is an error for the command.
    const named = quire(['ingest', join(t, 'secret.png'), '--data-dir', d], { asNobody: true });
    expect(named.code).toBe(1);
    expect(named.err).toBe(`quire: Quire cannot read ${join(t, 'secret.png')}: permission denied (give it read permission).\n`);
  });
});

describe('quire ingest --monitor', () => {
  it('shows queue progress until nothing is pending or processing', async () => {
    const { spawn } = await import('node:child_process');
    const d = dataDir();
    const t = join(root, 'tree-monitor');
    for (let i = 0; i < 5; i++) write(join(t, `p${i}.png`));
    const child = spawn(process.execPath, [BIN, 'ingest', t, '--monitor', '--data-dir', d], { cwd: REPO_ROOT });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // Act as the worker: once the jobs are there, finish them one by one.
    await expect.poll(() => /enqueued\s+5/.test(out), { timeout: 15_000 }).toBe(true);
    const store = new SqliteJobStore({ path: join(d, 'quire.db'), migrations: loadMigrations(MIGRATIONS_SQLITE), policy: queuePolicy() });
    for (let job = await store.claim('w'); job; job = await store.claim('w')) {
      await store.complete(job.jobId, 'w', {
        text: 't', pages: [], confidence: null, engine: 'test', languages: 'eng', processingTimeMs: 1, contentHash: null,
      });
    }
    await store.close();
    expect(await exited).toBe(0);
    expect(err).toMatch(/Waiting for a worker/);
    expect(out).toMatch(/5\/5 +pending 0 +processing 0 +completed 5 +failed 0/);
  });
});

describe('quire with its output closed early (quire ... | head)', () => {
  it('exits quietly with status 0 instead of crashing on EPIPE', async () => {
    const { spawn } = await import('node:child_process');
    // The reader is gone before quire writes anything, as when `head` has read its lines and left.
    const child = spawn(process.execPath, [BIN, '--help'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('close', (c) => r(c)));
    expect(err).not.toMatch(/EPIPE|Unhandled|Error/);
    expect(code).toBe(0);
  });
});
