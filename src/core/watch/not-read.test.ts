/** A watched folder's files that Quire does not read are named in the skipped list at each rescan (issue 13 item 2). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FAST, freshDir, openStore, waitFor } from '../../../test/watch-support';
import type { SqliteJobStore } from '../store/sqlite/store';
import { addWatchedFolder } from './folders';
import { startWatching, type WatchHandle } from './host';

let tmp: ReturnType<typeof freshDir>;
let store: SqliteJobStore;
let handle: WatchHandle | undefined;
let root: string;

beforeEach(async () => {
  tmp = freshDir();
  root = join(tmp.dir, 'inbox');
  mkdirSync(join(root, 'sub'), { recursive: true });
  store = openStore(tmp.dir);
  await addWatchedFolder(store, root, { txt: true });
});

afterEach(async () => {
  await handle?.stop();
  handle = undefined;
  await store.close();
  tmp.cleanup();
});

const listed = async () => (await store.listSkipped(100)).files.map((f) => [f.path.slice(root.length + 1), f.reason]);

it('lists them with the reason at the rescan, leaves out outputs and ignored names, and drops what was fixed at the next one', async () => {
  writeFileSync(join(root, 'a.png'), 'an image');
  writeFileSync(join(root, 'a.png.ocr.txt'), 'Quire wrote this'); // an output, not an input
  writeFileSync(join(root, 'notes.txt'), 'text');
  writeFileSync(join(root, 'sub', 'book.epub'), 'zip');
  writeFileSync(join(root, '.hidden.doc'), 'hidden'); // ignored on purpose
  execFileSync('mkfifo', [join(root, 'sub', 'pipe.png')]);

  handle = startWatching(store, { timing: FAST, refreshMs: 60_000 });
  await handle.ready;
  await waitFor('the rescan to list the files not read', async () => (await listed()).length === 3);
  expect(await listed()).toEqual([
    ['notes.txt', 'unsupported_format'],
    ['sub/book.epub', 'unsupported_format'],
    ['sub/pipe.png', 'not_a_file'],
  ]);
  await handle.stop();

  // Converted while no host ran: the rescan at the next start takes them off the list.
  rmSync(join(root, 'notes.txt'));
  rmSync(join(root, 'sub', 'book.epub'));
  writeFileSync(join(root, 'sub', 'book.pdf'), 'a pdf');
  handle = startWatching(store, { timing: FAST, refreshMs: 60_000 });
  await handle.ready;
  await waitFor('the rescan to drop them', async () => (await listed()).length === 1);
  expect(await listed()).toEqual([['sub/pipe.png', 'not_a_file']]);
});

it('a listed file that the watcher queues later (its permission fixed, say) leaves the list at once', async () => {
  handle = startWatching(store, { timing: FAST, refreshMs: 60_000 });
  await handle.ready;
  await waitFor('the first rescan', async () => (await store.listWatchedFolders())[0]!.lastScanAt !== null);
  // As an earlier walk recorded it while it could not be read.
  await store.replaceSkipped([], [{ path: join(root, 'scan.png'), reason: 'permission_denied', message: 'permission denied' }]);
  writeFileSync(join(root, 'scan.png'), 'now readable');
  await waitFor('scan.png queued', async () => (await store.getDocumentByPath(join(root, 'scan.png'))) !== null);
  await waitFor('scan.png off the list', async () => (await store.listSkipped(10)).total === 0);
});
