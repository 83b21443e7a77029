/**
 * `quire serve --no-workers`: the UI and API without a worker pool (next to a `quire worker`
 * elsewhere), still watching folders. A real server process on a real data folder.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from './helpers';

describe('quire serve --no-workers', () => {
  it('serves with no pool, still watches folders, and exits 0 on SIGTERM', async () => {
    const root = tempDir('quire-serve-cli-');
    const dataDir = join(root, 'data');
    const proc = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'quire.js'), 'serve', '--no-workers', '--port', '0', '--data-dir', dataDir], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      const openUrl = await new Promise<string>((resolve, reject) => {
        proc.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /(http:\/\/\S+#token=\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        proc.once('exit', (code) => reject(new Error(`quire serve exited (${code})`)));
      });
      const u = new URL(openUrl);
      const rpc = async (name: string, body: unknown = {}) => {
        const res = await fetch(`${u.origin}/api/rpc/${name}`, {
          method: 'POST',
          headers: { 'X-Quire-Token': u.hash.slice('#token='.length), 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        return (await res.json()) as { ok: boolean; value: unknown };
      };
      expect(await rpc('workers')).toEqual({ ok: true, value: { source: 'none', workers: [] } });
      const folder = join(root, 'inbox');
      mkdirSync(folder);
      const added = await rpc('addWatchedFolder', { path: folder });
      expect(added.ok).toBe(true);
      expect(await rpc('watchedFolders')).toMatchObject({ ok: true, value: { available: true, folders: [{ path: folder }] } });
    } finally {
      const exited = new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
      proc.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
