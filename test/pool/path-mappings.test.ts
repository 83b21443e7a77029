/**
 * path_mappings end to end: files ingested under one mount point are read by a `quire worker`
 * whose machine has the share elsewhere (here: the folder is moved after ingest, so the recorded
 * path no longer exists). A real `quire worker` process, the test-only fake engine, real SQLite.
 */
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { cliEnv, quire, startQuire, taggedPids, writeScripts } from './cli-helpers';

const TAG = `path-map-${process.pid}-${Date.now()}`;

describe('path_mappings with quire worker', () => {
  afterAll(() => {
    for (const pid of taggedPids(TAG)) process.kill(pid, 'SIGKILL');
  });

  it('reads a job whose recorded path lives at another mount point on this machine', async () => {
    const root = tempDir('quire-path-map-');
    const data = join(root, 'data');
    const seen = join(root, 'mnt', 'scans');
    const here = join(root, 'Volumes', 'scans');
    const env = cliEnv(TAG);
    const cli = (...args: string[]) => quire([...args, '--data-dir', data], env);
    writeScripts(seen, { 'a.png': 'text mapped alpha', 'deep/b.png': 'text mapped beta' });
    expect((await cli('ingest', seen)).code).toBe(0);
    renameSync(join(root, 'mnt'), join(root, 'Volumes'));

    const bad = await cli('config', 'set', 'path_mappings', `${seen}`);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('from=>to');
    expect((await cli('config', 'set', 'path_mappings', `/unrelated=>/x;${seen}=>${here}`)).code).toBe(0);

    const worker = startQuire(['worker', '--data-dir', data], env);
    const end = Date.now() + 30_000;
    let text = await cli('text', join(seen, 'deep', 'b.png'));
    while (text.code !== 0 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 300));
      text = await cli('text', join(seen, 'deep', 'b.png'));
    }
    expect(text.stdout).toBe('mapped beta\n');
    // Documents keep the path as the ingesting machine recorded it.
    expect((await cli('text', join(seen, 'a.png'))).stdout).toBe('mapped alpha\n');
    worker.child.kill('SIGTERM');
    expect((await worker.done).code).toBe(0);
  }, 60_000);
});
