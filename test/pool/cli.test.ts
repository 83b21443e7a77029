import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { cliEnv, quire, startQuire, taggedPids, writeScripts } from './cli-helpers';
import { jobsOf, openStore, waitUntil } from './harness';

describe('quire run / text / search / export (fake engine)', () => {
  it('processes a folder, reports failures, and serves the results', async () => {
    const root = tempDir();
    const scans = join(root, 'scans');
    const data = join(root, 'data');
    const tag = `cli-run-${process.pid}-${Date.now()}`;
    const env = cliEnv(tag);
    writeScripts(scans, {
      'a.png': 'pages 2\ntext alpha marsupial quokka',
      'b.png': 'text bravo wombat',
      'deep/c.png': 'pages 3\ntext charlie numbat',
      'deep/crash-once.png': 'crash 1\ntext delta bilby',
      'deep/broken.png': 'fail corrupt_file',
    });
    const run = await quire(['run', scans, '--data-dir', data, '--concurrency', '2'], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('4 files completed, 1 failed');
    expect(run.stdout).toContain(join(scans, 'deep', 'broken.png'));
    expect(run.stdout).toContain('corrupt_file: scripted failure (corrupt_file)');
    expect(taggedPids(tag)).toEqual([]);

    const text = await quire(['text', join(scans, 'a.png'), '--data-dir', data], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe('alpha marsupial quokka\falpha marsupial quokka\n');
    const notDone = await quire(['text', join(scans, 'deep', 'broken.png'), '--data-dir', data], env);
    expect(notDone.code).toBe(1);
    expect(notDone.stderr).toContain('corrupt_file');

    const search = await quire(['search', 'numbat', '--data-dir', data], env);
    expect(search.code).toBe(0);
    expect(search.stdout).toContain(join(scans, 'deep', 'c.png'));
    expect(search.stdout).toContain('[numbat]');
    const json = await quire(['search', 'bil*', '--json', '--data-dir', data], env);
    const hits = JSON.parse(json.stdout) as { path: string; snippet: string; matches: { start: number; end: number; text: string }[] }[];
    expect(hits).toEqual([expect.objectContaining({ path: join(scans, 'deep', 'crash-once.png') })]);
    // JSON snippets are plain text (no control characters) with the matches given as offsets.
    expect([...hits[0]!.snippet].filter((c) => c.charCodeAt(0) < 0x20 && !'\t\n\r\f'.includes(c))).toEqual([]);
    expect(hits[0]!.matches.length).toBeGreaterThan(0);
    for (const m of hits[0]!.matches) {
      expect(m.text.toLowerCase()).toMatch(/^bil/);
      expect(hits[0]!.snippet.slice(m.start, m.end)).toBe(m.text);
    }
    // Query syntax typed by a person is taken as words, never an FTS error.
    const odd = await quire(['search', 'NEAR(', '"quokka', 'OR', 'a:b', '--data-dir', data], env);
    expect(odd.code).toBe(1);
    expect(odd.stderr).toContain('No matches.');

    const out = join(root, 'export');
    const exp = await quire(['export', '--out', out, '--format', 'txt,json', '--data-dir', data], env);
    expect(exp.code).toBe(0);
    expect(exp.stdout).toContain('Exported 4 documents (8 files)');
    const mirrored = join(out, scans, 'deep', 'c.png');
    expect(readFileSync(`${mirrored}.txt`, 'utf8')).toBe('charlie numbat\fcharlie numbat\fcharlie numbat');
    const doc = JSON.parse(readFileSync(`${mirrored}.json`, 'utf8'));
    expect(doc).toMatchObject({ path: join(scans, 'deep', 'c.png'), pageCount: 3, confidence: 90 });
    expect(doc.pages).toEqual([1, 2, 3].map((page) => ({ page, text: 'charlie numbat', confidence: 90, source: 'ocr' })));
    expect(existsSync(join(out, scans, 'deep', 'broken.png.txt'))).toBe(false);

    // The fake engine's inputs are text files, not images: a searchable PDF cannot be laid over
    // them, so each is skipped with the reason (exit 1) and nothing else is written.
    const pdf = await quire(['export', '--out', join(root, 'pdf'), '--format', 'pdf', '--data-dir', data], env);
    expect(pdf.code).toBe(1);
    expect(pdf.stderr).toContain(`skipped: ${join(scans, 'a.png')} (no searchable PDF: Not an image or PDF Quire can read)`);
    expect(existsSync(join(root, 'pdf', scans, 'a.png.pdf'))).toBe(false);

    // A file the walk cannot read (here a broken link) is not done either.
    const dangling = join(scans, 'dangling.png');
    symlinkSync(join(root, 'nowhere.png'), dangling);
    const unreadable = await quire(['run', scans, '--data-dir', data], env);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stdout).toContain(`Not read (1: 1 unreadable):\n  ${dangling}\n    not found (a broken link`);
    rmSync(dangling);

    // After requeueing the failure with a file that now works, a second run exits 0: every file
    // under the folder is counted, those done by the earlier run too.
    writeScripts(scans, { 'deep/broken.png': 'text fixed now' });
    const again = await quire(['run', scans, '--data-dir', data], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('5 files completed, 0 failed, 0 cancelled, 0 not read');
  });

  it('export never writes through a symbolic link that leads outside the folder', async () => {
    const root = tempDir();
    const scans = join(root, 'scans');
    const data = join(root, 'data');
    const env = cliEnv(`cli-exp-${process.pid}`);
    writeScripts(scans, { 'x.png': 'text x' });
    expect((await quire(['run', scans, '--data-dir', data], env)).code).toBe(0);
    const out = join(root, 'out');
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(elsewhere);
    mkdirSync(join(out, root), { recursive: true });
    symlinkSync(elsewhere, join(out, scans));
    const exp = await quire(['export', '--out', out, '--data-dir', data], env);
    expect(exp.code).toBe(1);
    expect(exp.stderr).toContain('symbolic link');
    expect(existsSync(join(elsewhere, 'x.png.txt'))).toBe(false);
  });
});

describe('quire worker', () => {
  it('shows page progress in stats, and on SIGTERM lets the queue keep the unfinished job', async () => {
    const root = tempDir();
    const scans = join(root, 'scans');
    const data = join(root, 'data');
    const tag = `cli-worker-${process.pid}-${Date.now()}`;
    const env = cliEnv(tag);
    const [slow] = writeScripts(scans, { 'slow.png': 'pages 3\ndelay 60000', 'q1.png': '', 'q2.png': '' });
    expect((await quire(['ingest', scans, '--data-dir', data], env)).code).toBe(0);
    const worker = startQuire(['worker', '--data-dir', data, '--grace', '1'], env);
    const store = openStore(data);
    try {
      await waitUntil(async () => {
        const s = await store.stats();
        return s.completed === 2 && s.in_progress[0]?.page === 1;
      }, 30_000, 'two done and one in progress');
      const stats = await quire(['stats', '--json', '--data-dir', data], env);
      expect(JSON.parse(stats.stdout).in_progress).toEqual([expect.objectContaining({ path: slow, page: 1, pages: 3 })]);
      expect((await quire(['stats', '--data-dir', data], env)).stdout).toContain(`page 1 of 3  ${slow}`);

      worker.child.kill('SIGTERM');
      const r = await worker.done;
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('SIGTERM: stopping');
      expect(jobsOf(store).find((j) => j.path === slow)).toMatchObject({ status: 'pending', attempts: 0 });
      expect(taggedPids(tag)).toEqual([]);
    } finally {
      await store.close();
      worker.child.kill('SIGKILL');
    }
  });
});

describe('quire worker follows the concurrency setting', () => {
  it('grows when concurrent_ocr_jobs is raised while it runs', async () => {
    const root = tempDir();
    const scans = join(root, 'scans');
    const data = join(root, 'data');
    const tag = `cli-resize-${process.pid}-${Date.now()}`;
    const env = cliEnv(tag);
    delete env.OCR_CONCURRENT_JOBS; // the saved setting decides
    writeScripts(scans, { 's1.png': 'delay 60000', 's2.png': 'delay 60000' });
    expect((await quire(['ingest', scans, '--data-dir', data], env)).code).toBe(0);
    expect((await quire(['config', 'set', 'concurrent_ocr_jobs', '1', '--data-dir', data], env)).code).toBe(0);
    const store = openStore(data);
    const worker = startQuire(['worker', '--data-dir', data, '--grace', '0'], env);
    try {
      await waitUntil(async () => (await store.stats()).processing === 1, 30_000, 'one running job');
      expect((await quire(['config', 'set', 'concurrent_ocr_jobs', '2', '--data-dir', data], env)).code).toBe(0);
      await waitUntil(async () => (await store.stats()).processing === 2, 30_000, 'two running jobs');
      worker.child.kill('SIGTERM');
      expect((await worker.done).code).toBe(0);
      expect(jobsOf(store).map((j) => [j.status, j.attempts])).toEqual(Array(2).fill(['pending', 0]));
      expect(taggedPids(tag)).toEqual([]);
    } finally {
      await store.close();
      worker.child.kill('SIGKILL');
    }
  });
});

describe('quire run interrupted', () => {
  it('on SIGINT finishes nothing new, returns running jobs to the queue and exits 130', async () => {
    const root = tempDir();
    const scans = join(root, 'scans');
    const data = join(root, 'data');
    const tag = `cli-int-${process.pid}-${Date.now()}`;
    const env = cliEnv(tag);
    writeScripts(scans, { 'slow1.png': 'delay 60000', 'slow2.png': 'delay 60000', 'quick.png': '' });
    expect((await quire(['ingest', scans, '--data-dir', data], env)).code).toBe(0);
    const store = openStore(data);
    const run = startQuire(['run', scans, '--data-dir', data, '--grace', '0'], env);
    try {
      await waitUntil(async () => (await store.stats()).processing === 2, 30_000, 'two running jobs');
      run.child.kill('SIGINT');
      const r = await run.done;
      expect(r.code).toBe(130);
      // It says it stopped, not "Done", and how many files wait in the queue.
      expect(r.stdout).toMatch(/^Stopped after \d+s: \d+ files? completed/m);
      expect(r.stdout).not.toMatch(/^Done/m);
      const waiting = (await store.stats()).pending;
      expect(waiting).toBeGreaterThanOrEqual(2);
      expect(r.stdout).toContain(`${waiting} files are in the queue, not yet read (files that were being read went back there): quire run or quire worker goes on with them.`);
      const jobs = jobsOf(store);
      expect(jobs.filter((j) => j.path.includes('slow')).map((j) => [j.status, j.attempts])).toEqual(Array(2).fill(['pending', 0]));
      expect(jobs.filter((j) => j.status === 'processing')).toEqual([]);
      expect(taggedPids(tag)).toEqual([]);
    } finally {
      await store.close();
      run.child.kill('SIGKILL');
    }
  });

  it('exits 1 with a clear message when workers cannot start', async () => {
    const root = tempDir();
    const scans = join(root, 'scans');
    writeScripts(scans, { 'a.png': '' });
    const r = await quire(['run', scans, '--data-dir', join(root, 'data')], cliEnv(`cli-fatal-${process.pid}`, { QUIRE_TEST_ENGINE: 'nope' }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('OCR workers cannot start: Unknown OCR engine "nope"');
  });
});

describe('kill -9 of quire run', () => {
  it('a second run finishes every file exactly once, recovering the dead run\'s jobs at once', async () => {
    const root = tempDir();
    const scans = join(root, 'scans');
    const data = join(root, 'data');
    const tag = `cli-kill-${process.pid}-${Date.now()}`;
    // A lease far longer than the test: only the same-host liveness check can recover the jobs in time.
    const env = cliEnv(tag, { QUIRE_LEASE_SECONDS: '3600' });
    const scripts: Record<string, string> = {};
    for (let i = 0; i < 10; i++) scripts[`f${i}.png`] = 'pages 2\ndelay 400';
    const paths = writeScripts(scans, scripts);
    // Ingest first, so this test's own connection never races the CLI creating the database.
    expect((await quire(['ingest', scans, '--data-dir', data], env)).code).toBe(0);
    const store = openStore(data);
    const first = startQuire(['run', scans, '--data-dir', data, '--concurrency', '2'], env);
    try {
      await waitUntil(async () => {
        const s = await store.stats().catch(() => null);
        return s !== null && s.completed >= 2 && s.processing >= 1;
      }, 30_000, 'the first run to be mid-batch');
      first.child.kill('SIGKILL');
      expect((await first.done).signal).toBe('SIGKILL');
      // Its workers notice the closed channel and exit by themselves.
      await waitUntil(() => taggedPids(tag).length === 0, 15_000, 'orphaned workers to exit');
      expect((await store.stats()).processing).toBeGreaterThanOrEqual(1);

      const second = await quire(['run', scans, '--data-dir', data, '--concurrency', '2'], env);
      expect(second.code).toBe(0);
      const rows = store.db
        .prepare<[], { path: string; jobs: number; completed: number }>(
          `SELECT d.path, COUNT(q.id) AS jobs, SUM(q.status = 'completed') AS completed
           FROM documents d JOIN ocr_queue q ON q.document_id = d.id GROUP BY d.id ORDER BY d.path`,
        )
        .all();
      expect(rows).toEqual(paths.sort().map((path) => ({ path, jobs: 1, completed: 1 })));
      expect(taggedPids(tag)).toEqual([]);
    } finally {
      await store.close();
      first.child.kill('SIGKILL');
    }
  });
});
