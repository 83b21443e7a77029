/** Watched folders and file names that are not valid UTF-8: listed with the reason, never merged or lost. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAST, freshDir, openStore, waitFor } from '../../../test/watch-support';
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

const at = (latin1: string) => Buffer.concat([Buffer.from(root), Buffer.from(`/${latin1}`, 'latin1')]);
const documents = () => store.db.prepare('SELECT path FROM documents ORDER BY path').all() as { path: string }[];
const REASON = 'the file name is not valid UTF-8 (Quire cannot store it); rename the file to queue it';

describe('watched folders and names that are not UTF-8', () => {
  it('lists such files found by the rescan and as they arrive, with their bytes escaped; the real file beside one is not touched', async () => {
    writeFileSync(at('lat1\xe9t\xe9.png'), 'there before the host started');
    writeFileSync(join(root, 'bad\uFFFD\uFFFD.png'), 'a real name with U+FFFD in it');
    await addWatchedFolder(store, root);
    handle = startWatching(store, { timing: FAST, refreshMs: 60_000 });
    await handle.ready;
    await waitFor('the real file queued', async () => documents().length === 1);
    expect(handle.status().folders[0]?.skippedFiles).toEqual({ count: 1, recent: [{ path: join(root, 'lat1\\xe9t\\xe9.png'), reason: REASON }] });

    const seen: string[] = [];
    handle.on('file-skipped', (e) => seen.push(`${e.path}: ${e.reason}`));
    // Live: the bytes Node reads as the real file's name, and another Latin-1 name.
    writeFileSync(at('bad\xff\xfe.png'), 'different content');
    writeFileSync(at('new\xe9.pdf'), 'arrived while watching');
    await waitFor('both reported', () => seen.length === 2);
    expect(seen.sort()).toEqual([`${join(root, 'bad\\xff\\xfe.png')}: ${REASON}`, `${join(root, 'new\\xe9.pdf')}: ${REASON}`]);
    expect(handle.status().folders[0]?.skippedFiles?.count).toBe(3);
    expect(documents()).toEqual([{ path: join(root, 'bad\uFFFD\uFFFD.png') }]);
    expect((await store.stats()).pending).toBe(1);
  });
});
