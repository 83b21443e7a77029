import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAST, freshDir, openStore, sleep, waitFor } from '../../../test/watch-support';
import { createQuire } from '../app';
import type { SqliteJobStore } from '../store/sqlite/store';
import { addWatchedFolder } from './folders';
import type { WatchHandle } from './host';
import { startWatching } from './host';

let tmp: ReturnType<typeof freshDir>;
let store: SqliteJobStore;
let handle: WatchHandle | undefined;
let root: string;

beforeEach(() => {
  tmp = freshDir();
  root = join(tmp.dir, 'inbox');
  mkdirSync(root);
  store = openStore(tmp.dir);
});

afterEach(async () => {
  await handle?.stop();
  handle = undefined;
  await store.close();
  tmp.cleanup();
});

describe('watching a folder', () => {
  it('enqueues new files, in nested folders too, and ignores temp, hidden and patterned files', async () => {
    await addWatchedFolder(store, root, { ignore: ['drafts', '*-skip.png'] });
    handle = startWatching(store, { timing: FAST, refreshMs: 60_000 });
    await handle.ready;
    expect(handle.status().folders[0]!.state).toBe('watching');

    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    mkdirSync(join(root, 'drafts'));
    writeFileSync(join(root, 'one.png'), 'png-1');
    writeFileSync(join(root, 'a', 'b', 'deep.pdf'), 'pdf-1');
    for (const name of ['.hidden.png', '~lock.png', 'x.tmp', 'y.part', 'z.crdownload', 'Thumbs.db', 'desktop.ini', '.DS_Store', 'page-skip.png', 'notes.txt']) {
      writeFileSync(join(root, name), 'ignored');
    }
    writeFileSync(join(root, 'drafts', 'draft.png'), 'ignored');
    await waitFor('two jobs', async () => (await store.stats()).pending === 2);
    await sleep(400);
    expect((await store.stats()).pending).toBe(2);
    expect(await store.getDocumentByPath(join(root, 'a', 'b', 'deep.pdf'))).toMatchObject({ kind: 'application/pdf', size: 5 });
    expect(await store.getDocumentByPath(join(root, 'page-skip.png'))).toBeNull();
    expect(await store.getDocumentByPath(join(root, 'drafts', 'draft.png'))).toBeNull();
  });
});

describe('the host', () => {
  it('picks up folders added by another process and follows enable_background_ocr', async () => {
    const quire = createQuire({ dataDir: tmp.dir, env: {} });
    try {
      handle = startWatching(quire, { timing: FAST, refreshMs: 100 });
      await handle.ready;
      expect(handle.status()).toEqual({ enabled: true, folders: [] });
      await addWatchedFolder(store, root); // another connection: as `quire watch add` would
      await waitFor('folder watched', () => handle!.status().folders[0]?.state === 'watching');
      writeFileSync(join(root, 'one.png'), 'one');
      await waitFor('one enqueued', async () => (await store.getDocumentByPath(join(root, 'one.png'))) !== null);

      // Removed by another process: the running host lets go of it.
      await store.removeWatchedFolder(root);
      await waitFor('folder released', () => handle!.status().folders.length === 0);
      await addWatchedFolder(store, root);
      await waitFor('watched again', () => handle!.status().folders[0]?.state === 'watching');

      await quire.setSetting('enable_background_ocr', false);
      await waitFor('disabled', () => !handle!.status().enabled);
      expect(handle.status().folders).toEqual([]);
      expect((await store.listWatchedFolders())[0]!.state).toBe('stopped');
      writeFileSync(join(root, 'two.png'), 'two');
      await sleep(400);
      expect(await store.getDocumentByPath(join(root, 'two.png'))).toBeNull();

      await quire.setSetting('enable_background_ocr', true);
      await waitFor('two enqueued by the rescan', async () => (await store.getDocumentByPath(join(root, 'two.png'))) !== null);
      await handle.stop();
      handle = undefined;
    } finally {
      await quire.close();
    }
  });
});

describe('stopping', () => {
  it('stops promptly in the middle of a first rescan, leaving the store usable', async () => {
    for (let i = 0; i < 2000; i++) writeFileSync(join(root, `p${i}.png`), `page ${i}`);
    await addWatchedFolder(store, root);
    const h = startWatching(store, { timing: FAST, refreshMs: 60_000 });
    await sleep(50);
    await h.stop();
    await h.ready;
    expect((await store.listWatchedFolders())[0]!.state).toBe('stopped');
    const queued = (await store.stats()).pending;
    await sleep(300);
    expect((await store.stats()).pending).toBe(queued); // nothing keeps running after stop()
    // The next host's rescan finishes the job.
    handle = startWatching(store, { timing: FAST, refreshMs: 60_000 });
    await handle.ready;
    expect((await store.stats()).pending).toBe(2000);
  });
});
