/**
 * `quire worker` is a whole host: besides its pool it watches the watched folders (following
 * enable_background_ocr) and writes their outputs when jobs complete. A real `quire worker`
 * process (the test-only fake engine), real chokidar on a real folder, a real SQLite file.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { cliEnv, quire, startQuire, taggedPids } from './cli-helpers';

const TAG = `worker-watch-${process.pid}`;

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, limitMs = 60_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('quire worker with a watched folder', () => {
  const root = tempDir('quire-worker-watch-');
  const dataDir = join(root, 'data');
  const watched = join(root, 'inbox');
  const env = cliEnv(TAG);
  const cli = (...args: string[]) => quire([...args, '--data-dir', dataDir], env);
  const folderState = async () => {
    const r = await cli('watch', 'list', '--json');
    return (JSON.parse(r.stdout) as { state: string }[])[0]?.state;
  };
  const statusOf = async (path: string) => {
    const r = await cli('text', path);
    return r.code === 0 ? 'completed' : /status is (\w+)/.exec(r.stderr)?.[1] ?? 'unknown';
  };

  afterAll(() => {
    for (const pid of taggedPids(TAG)) process.kill(pid, 'SIGKILL');
  });

  it('processes files copied in, writes their .ocr.txt, and stops picking up files while enable_background_ocr is off', async () => {
    mkdirSync(watched);
    expect((await cli('watch', 'add', watched, '--txt')).code).toBe(0);
    const worker = startQuire(['worker', '--data-dir', dataDir], env);

    // A file copied in while the worker runs: picked up, OCR'd, its text written beside it.
    const staging = join(root, 'staging');
    mkdirSync(staging);
    writeFileSync(join(staging, 'first.png'), 'text hello from the watched folder\n');
    await until('the folder to be watched', async () => (await folderState()) === 'watching');
    copyFileSync(join(staging, 'first.png'), join(watched, 'first.png'));
    const firstTxt = join(watched, 'first.png.ocr.txt');
    await until('first.png.ocr.txt', () => existsSync(firstTxt));
    expect(readFileSync(firstTxt, 'utf8')).toContain('hello from the watched folder');
    expect(await statusOf(join(watched, 'first.png'))).toBe('completed');

    // Background OCR off: the running worker stops watching (it re-reads the setting every 5 s).
    expect((await cli('config', 'set', 'enable_background_ocr', 'off')).code).toBe(0);
    await until('the folder to be stopped', async () => (await folderState()) === 'stopped');
    writeFileSync(join(staging, 'second.png'), 'text written while background OCR was off\n');
    copyFileSync(join(staging, 'second.png'), join(watched, 'second.png'));
    // Longer than a watcher would need (2 s write stability + checks): nothing may notice it.
    await new Promise((r) => setTimeout(r, 4000));
    expect((await cli('text', join(watched, 'second.png'))).stderr).toContain("is not in Quire's queue");
    expect(existsSync(join(watched, 'second.png.ocr.txt'))).toBe(false);

    // On again: the startup rescan finds the file that arrived meanwhile.
    expect((await cli('config', 'set', 'enable_background_ocr', 'on')).code).toBe(0);
    await until('second.png.ocr.txt', () => existsSync(join(watched, 'second.png.ocr.txt')));
    expect(readFileSync(join(watched, 'second.png.ocr.txt'), 'utf8')).toContain('written while background OCR was off');

    // SIGTERM: the worker stops watching before it closes the database, and exits 0.
    worker.child.kill('SIGTERM');
    const r = await worker.done;
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(r.code).toBe(0);
    expect(await folderState()).toBe('stopped');
  }, 120_000);
});
