/**
 * Issue 13 through the real CLI (fake engine): cancelled files come back when added again, a
 * requeue only helps where it can (fix-the-file failures go back once the file changed, or with
 * --force), failures can be dismissed and documents removed, and the hints name the right action.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { cliEnv, quire, writeScripts } from './cli-helpers';

describe('quire: cancelled, requeue, dismiss, remove (fake engine)', () => {
  it('brings cancelled files back when they are run again, and says so', async () => {
    const root = tempDir();
    const scans = join(root, 'scans');
    const data = join(root, 'data');
    const env = cliEnv(`requeue-cancel-${process.pid}-${Date.now()}`);
    writeScripts(scans, { 'a.png': 'text alpha', 'b.png': 'text bravo', 'c.png': 'text charlie' });
    const q = (...args: string[]) => quire([...args, '--data-dir', data], env);
    expect((await q('pause')).code).toBe(0);
    expect((await q('ingest', scans)).code).toBe(0);
    expect((await q('cancel', '--all-pending')).stdout).toContain('Cancelled 3 jobs.');
    expect((await q('resume')).code).toBe(0);

    const text = await q('text', join(scans, 'a.png'));
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('its job was cancelled. Have it read with quire run');

    const run = await q('run', scans);
    expect(run.stderr).toContain('3 cancelled files queued again.');
    expect(run.stdout).toContain('3 files completed, 0 failed');
    expect(run.code).toBe(0);
    expect((await q('text', join(scans, 'b.png'))).stdout).toBe('bravo\n');

    // Cancelled again, then requeued by folder from the CLI.
    writeScripts(scans, { 'sub/d.png': 'text delta' });
    await q('pause');
    await q('ingest', scans);
    await q('cancel', '--all-pending');
    const rq = await q('requeue', '--cancelled', '--folder', join(scans, 'sub'));
    expect(rq.code).toBe(0);
    expect(rq.stdout).toBe('1 requeued.\n');
    const stats = JSON.parse((await q('stats', '--json')).stdout);
    expect([stats.pending, stats.cancelled]).toEqual([1, 0]);
  });

  it('requeues a fix-the-file failure only once the file changed (or with --force); dismisses; names the right action', async () => {
    const root = tempDir();
    const scans = join(root, 'scans');
    const data = join(root, 'data');
    const env = cliEnv(`requeue-kinds-${process.pid}-${Date.now()}`);
    writeScripts(scans, { 'broken.png': 'fail corrupt_file', 'slow.png': 'fail timeout', 'ok.png': 'text fine' });
    const q = (...args: string[]) => quire([...args, '--data-dir', data], env);
    const run = await q('run', scans);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('Requeue them with: quire requeue-failed');
    expect(run.stdout).toContain('A retry may help (timeout): quire requeue --failed');
    expect(run.stdout).toContain('Fix or replace the file first (corrupt_file)');

    const first = await q('requeue-failed');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('1 requeued; 1 left as it is: the file has not changed since it failed (1 corrupt_file).');
    expect(first.stdout).toContain('--force');

    const unknown = await q('requeue-failed', '--job', 'no-such-job-id');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no job with id no-such-job-id.');
    expect(unknown.stdout).not.toContain('Requeued');

    const forced = await q('requeue', '--failed', '--force');
    expect(forced.stdout).toBe('1 requeued.\n');
    let stats = JSON.parse((await q('stats', '--json')).stdout);
    expect([stats.pending, stats.failed]).toEqual([2, 0]);

    // Both fail again; then broken.png is fixed: a plain requeue takes it, as it changed.
    expect((await q('run', scans)).code).toBe(1);
    writeScripts(scans, { 'broken.png': 'text mended now' });
    const changed = await q('requeue', '--failed', '--kind', 'corrupt_file');
    expect(changed.stdout).toBe('1 requeued.\n');

    // The timeout failure is dismissed: out of the list and the count, and not back on a rerun.
    const rerun = await q('run', scans);
    expect(rerun.stdout).toContain('2 files completed, 1 failed');
    expect((await q('dismiss', '--kind', 'timeout')).stdout).toBe('Dismissed 1 failure.\n');
    expect((await q('failures')).stdout).toBe('No failed files.\n');
    const after = await q('run', scans);
    expect(after.stderr).toContain('0 enqueued');
    expect(after.stdout).toContain('2 files completed, 0 failed (and 1 dismissed)');
    expect(after.code).toBe(0);
    stats = JSON.parse((await q('stats', '--json')).stdout);
    expect(stats.failed).toBe(0);
    expect((await q('dismiss')).code).toBe(2);
  });

  it('removes documents from Quire without touching the files, refusing a watched folder', async () => {
    const root = tempDir();
    const scans = join(root, 'scans');
    const inbox = join(root, 'inbox');
    const data = join(root, 'data');
    const env = cliEnv(`requeue-remove-${process.pid}-${Date.now()}`);
    writeScripts(scans, { 'a.png': 'text quokka', 'sub/b.png': 'text numbat' });
    writeScripts(inbox, { 'c.png': 'text bilby' });
    const q = (...args: string[]) => quire([...args, '--data-dir', data], env);
    expect((await q('run', scans, inbox)).code).toBe(0);
    expect((await q('search', 'quokka')).code).toBe(0);

    const removed = await q('remove', join(scans, 'a.png'), join(scans, 'sub'));
    expect(removed.stdout).toBe('Removed 2 documents from Quire. The files themselves were not touched.\n');
    expect(existsSync(join(scans, 'a.png'))).toBe(true);
    expect((await q('search', 'quokka')).code).toBe(1);
    expect((await q('text', join(scans, 'a.png'))).stderr).toContain("is not in Quire's queue");
    const nothing = await q('remove', join(scans, 'a.png'));
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain("Nothing in Quire's queue at");

    expect((await q('watch', 'add', inbox)).code).toBe(0);
    const refused = await q('remove', join(inbox, 'c.png'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`is in the watched folder ${inbox}, which would add its files again`);
    expect((await q('search', 'bilby')).code).toBe(0);

    // Added again later, it is read again.
    const again = await q('run', scans);
    expect(again.stdout).toContain('2 files completed');
  });
});
