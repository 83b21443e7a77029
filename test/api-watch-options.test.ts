/**
 * Adding a watched folder through the API (as the UI does) with its choices: polling and outputs.
 * A real host (watcher, no workers), a real SQLite file, real chokidar.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHost } from '../src/core/host';
import { silentLogger } from '../src/core/logger';
import { tempDir } from './helpers';

describe('watched folders through the API', () => {
  it('keeps the chosen outputs and shows a polled folder as polling', async () => {
    const root = tempDir();
    const inbox = join(root, 'inbox');
    const out = join(root, 'texts');
    mkdirSync(inbox);
    const api = await openHost({ dataDir: join(root, 'data'), logger: silentLogger, env: {}, workers: false, watch: true });
    try {
      const added = await api.handlers.addWatchedFolder({ path: inbox, txt: true, pdf: true, poll: true, outputDir: out });
      expect(added).toMatchObject({ path: inbox, poll: true, outputs: { txt: true, pdf: true, dir: out } });
      await expect
        .poll(async () => (await api.handlers.watchedFolders()).folders.map((f) => f.state), { timeout: 20_000 })
        .toEqual(['polling']);
      // A bad option is refused with a sentence, and nothing is added.
      await expect(api.handlers.addWatchedFolder({ path: root, txt: 'yes' as unknown as boolean })).rejects.toThrow(/txt/);
      expect((await api.handlers.watchedFolders()).folders).toHaveLength(1);
    } finally {
      await api.close();
    }
  });
});
