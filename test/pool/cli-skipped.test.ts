/**
 * Every file under a run's paths is accounted for: files Quire does not read are named with why
 * (run and ingest summaries, quire skipped, quire text), a file named on the command line that
 * Quire cannot read is an error, and the summary counts the files by their state in the queue,
 * whichever host read them (issue 13 item 2, item 5).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { cliEnv, quire, startQuire, taggedPids, writeScripts } from './cli-helpers';
import { jobsOf, openStore, waitUntil } from './harness';

describe('files Quire does not read', () => {
  it('are named with the reason by run, ingest, quire skipped and quire text, and leave the list once fixed', async () => {
    const root = tempDir();
    const scans = join(root, 'scans');
    const data = join(root, 'data');
    const tag = `cli-skipped-${process.pid}-${Date.now()}`;
    const env = cliEnv(tag);
    writeScripts(scans, { 'a.png': 'text alpha', 'deep/b.png': 'text bravo' });
    writeFileSync(join(scans, 'notes.txt'), 'not a scan');
    writeFileSync(join(scans, 'deep', 'scan.xyz'), 'who knows');
    execFileSync('mkfifo', [join(scans, 'deep', 'pipe.png')]);
    writeFileSync(join(scans, '.hidden.txt'), 'ignored on purpose'); // README: skipped without counting
    const notes = join(scans, 'notes.txt');
    const xyz = join(scans, 'deep', 'scan.xyz');
    const pipe = join(scans, 'deep', 'pipe.png');

    const run = await quire(['run', scans, '--data-dir', data, '--concurrency', '1'], env);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('2 files completed, 0 failed, 0 cancelled, 3 not read');
    expect(run.stdout).toContain('Not read (3: 2 unsupported_format, 1 not_a_file):\n');
    expect(run.stdout).toContain(`  ${notes}\n    not an image or PDF Quire reads (.txt file)\n`);
    expect(run.stdout).toContain(`  ${xyz}\n    not an image or PDF Quire reads (.xyz file)\n`);
    expect(run.stdout).toContain(`  ${pipe}\n    not a regular file`);
    expect(run.stdout).not.toContain('.hidden.txt');
    expect(taggedPids(tag)).toEqual([]);

    const listed = await quire(['skipped', '--data-dir', data], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${notes}\n  unsupported_format: not an image or PDF Quire reads (.txt file)\n`);
    expect(listed.stdout).toMatch(/3 not read: 2 unsupported_format \(.*\); 1 not_a_file \(/);
    const json = JSON.parse((await quire(['skipped', '--json', '--data-dir', data], env)).stdout);
    expect(json.total).toBe(3);
    expect(json.files.map((f: { path: string; reason: string }) => [f.path, f.reason])).toEqual([
      [pipe, 'not_a_file'],
      [xyz, 'unsupported_format'],
      [notes, 'unsupported_format'],
    ]);
    const csv = (await quire(['skipped', '--csv', '--data-dir', data], env)).stdout.split('\r\n');
    expect(csv[0]).toBe('path,reason,meaning,message,seen_at');
    expect(csv.filter(Boolean)).toHaveLength(4);

    const text = await quire(['text', notes, '--data-dir', data], env);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain(`${notes} is not read by Quire: not an image or PDF Quire reads (.txt file)`);
    expect(text.stderr).not.toContain('Add it with');

    // Converted and removed: the next walk of the folder takes them off the list.
    rmSync(notes);
    renameSync(xyz, join(scans, 'deep', 'scan.png'));
    writeScripts(scans, { 'deep/scan.png': 'text converted' });
    const ingest = await quire(['ingest', scans, '--data-dir', data], env);
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toContain(`Not read (1: 1 not_a_file):\n  ${pipe}\n`);
    const after = JSON.parse((await quire(['skipped', '--json', '--data-dir', data], env)).stdout);
    expect(after.files.map((f: { path: string }) => f.path)).toEqual([pipe]);
  });

  it('named on the command line, is an error for the command: one line, exit 1, nothing started or added', async () => {
    const root = tempDir();
    const data = join(root, 'data');
    const tag = `cli-named-${process.pid}-${Date.now()}`;
    const env = cliEnv(tag);
    const txt = join(root, 'notes.txt');
    writeFileSync(txt, 'plain text');
    const fifo = join(root, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    writeScripts(root, { 'ok.png': 'text fine' });

    const run = await quire(['run', txt, join(root, 'ok.png'), '--data-dir', data], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`quire: Quire cannot read ${txt}: it is a .txt file, not an image or PDF Quire reads (see "What Quire reads" in the README).\n`);
    expect(run.stdout).toBe('');
    const ingest = await quire(['ingest', fifo, '--data-dir', data], env);
    expect(ingest.code).toBe(1);
    expect(ingest.stderr).toContain(`Quire cannot read ${fifo}: not a regular file`);
    // Refused before anything opened: no queue database, so no job and no worker.
    expect(existsSync(data)).toBe(false);
    // Asking a data folder with no queue is an error about the folder, not an empty answer.
    const none = await quire(['text', join(root, 'report.docx'), '--data-dir', data], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`There is no Quire queue in ${data}`);
    expect(existsSync(data)).toBe(false);
    // Never walked, but its extension says it: quire text explains instead of "add it".
    expect((await quire(['config', 'list', '--data-dir', data], env)).code).toBe(0);
    const text = await quire(['text', join(root, 'report.docx'), '--data-dir', data], env);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('is not read by Quire: it is a .docx file');
  });
});

describe('quire run counts every file under its paths by its state', () => {
  it('says 4 completed when another host on the same queue read some of them', async () => {
    const root = tempDir();
    const scans = join(root, 'scans');
    const data = join(root, 'data');
    const tag = `cli-count-${process.pid}-${Date.now()}`;
    const env = cliEnv(tag);
    writeScripts(scans, Object.fromEntries([1, 2, 3, 4].map((i) => [`f${i}.png`, `delay 800\ntext file ${i}`])));
    expect((await quire(['ingest', scans, '--data-dir', data], env)).code).toBe(0);
    const worker = startQuire(['worker', '--data-dir', data, '--concurrency', '1'], env);
    const store = openStore(data);
    try {
      // The other host has finished one file before this run starts, and goes on taking more.
      await waitUntil(() => jobsOf(store).some((j) => j.status === 'completed'), 30_000, 'the other host to finish a file');
      const run = await quire(['run', scans, '--data-dir', data, '--concurrency', '1'], env);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(jobsOf(store).every((j) => j.status === 'completed')).toBe(true);
      expect(run.stdout).toContain('Done in');
      expect(run.stdout).toContain('4 files completed, 0 failed, 0 cancelled, 0 not read');
    } finally {
      await store.close();
      worker.child.kill('SIGTERM');
      await worker.done;
    }
  });

  it('names a file cancelled during the run, counts it, and exits 1', async () => {
    const root = tempDir();
    const scans = join(root, 'scans');
    const data = join(root, 'data');
    const tag = `cli-cancel-${process.pid}-${Date.now()}`;
    const env = cliEnv(tag);
    writeScripts(scans, { 'a.png': 'text quick', 'z-slow.png': 'delay 8000\ntext slow' });
    expect((await quire(['config', 'list', '--data-dir', data], env)).code).toBe(0); // the database exists
    const run = startQuire(['run', scans, '--data-dir', data, '--concurrency', '1'], env);
    const store = openStore(data);
    try {
      await waitUntil(() => jobsOf(store).some((j) => j.path.endsWith('z-slow.png') && j.status === 'processing'), 30_000, 'z-slow.png to start');
      const id = store.db.prepare<[], { id: string }>("SELECT id FROM ocr_queue WHERE status = 'processing'").get()!.id;
      expect(await store.cancel({ jobId: id })).toBe(1); // as quire cancel <id> does, from another process
      const r = await run.done;
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toContain('1 file completed, 0 failed, 1 cancelled, 0 not read');
      expect(r.stdout).toContain(`Not completed (1):\n  ${join(scans, 'z-slow.png')}\n    cancelled: Cancelled by the user.\n`);
    } finally {
      await store.close();
    }
  });
});
