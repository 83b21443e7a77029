/** Renames, deletes, edits, restarts and a folder that goes away and comes back. */
import { appendFileSync, mkdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { completeAll as completeAllJobs, FAST, fakeResult, freshDir, openStore, sleep, waitFor } from '../../../test/watch-support';
import type { SqliteJobStore } from '../store/sqlite/store';
import { addWatchedFolder } from './folders';
import type { WatchHandle } from './host';
import { startWatching } from './host';

let tmp: ReturnType<typeof freshDir>;
let store: SqliteJobStore;
let handle: WatchHandle | undefined;
let root: string;

beforeEach(async () => {
  tmp = freshDir();
  root = join(tmp.dir, 'inbox');
  mkdirSync(root);
  store = openStore(tmp.dir);
  await addWatchedFolder(store, root);
});

afterEach(async () => {
  await handle?.stop();
  handle = undefined;
  await store.close();
  tmp.cleanup();
});

const start = async () => {
  handle = startWatching(store, { timing: FAST, refreshMs: 60_000 });
  await handle.ready;
  return handle;
};
const jobs = () => (store.db.prepare('SELECT COUNT(*) AS n FROM ocr_queue').get() as { n: number }).n;
const doc = (name: string) => store.getDocumentByPath(join(root, name));
const completeAll = () => completeAllJobs(store);
async function waitForDoc(name: string) {
  await waitFor(`${name} enqueued`, async () => (await doc(name)) !== null);
}

describe('live changes', () => {
  it('a renamed or moved processed file keeps its result; deletes cancel or mark missing', async () => {
    await start();
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'a.png'), 'content of a');
    await waitForDoc('a.png');
    await completeAll();
    const before = (await doc('a.png'))!;

    renameSync(join(root, 'a.png'), join(root, 'sub', 'renamed.png'));
    await waitFor('the move', async () => (await doc('sub/renamed.png')) !== null);
    const moved = (await doc('sub/renamed.png'))!;
    expect(moved).toMatchObject({ id: before.id, ocrStatus: 'completed', text: before.text, sourceMissing: false });
    expect(await doc('a.png')).toBeNull();
    await sleep(300);
    expect(jobs()).toBe(1); // no new OCR

    // A pending file deleted: its job is cancelled.
    writeFileSync(join(root, 'b.png'), 'content of b');
    await waitForDoc('b.png');
    rmSync(join(root, 'b.png'));
    await waitFor('b cancelled', async () => (await doc('b.png'))?.ocrStatus === 'cancelled');
    expect(await doc('b.png')).toMatchObject({ sourceMissing: true, ocrErrorKind: 'file_missing' });

    // A processed file deleted: kept, searchable, marked missing.
    rmSync(join(root, 'sub', 'renamed.png'));
    await waitFor('marked missing', async () => (await doc('sub/renamed.png'))?.sourceMissing === true);
    expect(await doc('sub/renamed.png')).toMatchObject({ ocrStatus: 'completed', text: before.text });

    // A deleted folder: its documents are marked missing too.
    mkdirSync(join(root, 'gone'));
    writeFileSync(join(root, 'gone', 'c.png'), 'content of c');
    await waitForDoc('gone/c.png');
    await completeAll();
    rmSync(join(root, 'gone'), { recursive: true });
    await waitFor('folder contents missing', async () => (await doc('gone/c.png'))?.sourceMissing === true);
    expect(handle!.status().folders[0]!.state).toBe('watching');
  });

  it('a changed file gets a new job only when its content changed', async () => {
    await start();
    const p = join(root, 'page.png');
    writeFileSync(p, 'version 1');
    await waitForDoc('page.png');
    await completeAll();
    // Same bytes, new mtime (a touch, or a copy over itself): re-checked, no job.
    const events: string[] = [];
    handle!.on('file', (e) => events.push(e.outcome));
    utimesSync(p, new Date(), new Date(Date.now() + 5000));
    await waitFor('the touch is re-checked', () => events.includes('touched'));
    expect(jobs()).toBe(1);
    // Different bytes: a new job.
    writeFileSync(p, 'version 2, longer');
    await waitFor('a new job', async () => (await doc('page.png'))?.ocrStatus === 'pending');
    expect(await doc('page.png')).toMatchObject({ size: 17 });
    // Changed again while pending: still one live job.
    writeFileSync(p, 'version 3, longer still');
    await waitFor('re-checked', async () => (await doc('page.png'))?.size === 23);
    expect((await store.stats()).pending).toBe(1);
  });
});

describe('restarts and availability', () => {
  it('a rescan on start finds what changed while no host ran, without re-OCRing unchanged files', async () => {
    await start();
    for (const n of ['same', 'edited', 'touched', 'deleted', 'moved', 'kept']) writeFileSync(join(root, `${n}.png`), `content of ${n}`);
    await waitFor('6 jobs', () => jobs() === 6);
    await completeAll();
    await handle!.stop();
    handle = undefined;
    expect((await store.listWatchedFolders())[0]!.state).toBe('stopped');

    // While no host runs:
    writeFileSync(join(root, 'new.png'), 'brand new');
    writeFileSync(join(root, 'edited.png'), 'content of edited, edited');
    utimesSync(join(root, 'touched.png'), new Date(), new Date(Date.now() + 7000));
    rmSync(join(root, 'deleted.png'));
    mkdirSync(join(root, 'later'));
    renameSync(join(root, 'moved.png'), join(root, 'later', 'moved.png'));
    await store.enqueueBatch([{ path: join(root, 'queued-gone.png'), size: 1, mtimeMs: 1, kind: 'image/png' }]);

    const h = await start();
    const scan = h.status().folders[0]!.lastScan!;
    expect(scan.outcomes).toMatchObject({ unchanged: 2, enqueued: 2, touched: 1, moved: 1 }); // same and kept
    expect(scan.gone).toBe(3); // deleted, moved (old path), queued-gone
    expect(await doc('new.png')).toMatchObject({ ocrStatus: 'pending' });
    expect(await doc('edited.png')).toMatchObject({ ocrStatus: 'pending' });
    expect(await doc('touched.png')).toMatchObject({ ocrStatus: 'completed' });
    expect(await doc('same.png')).toMatchObject({ ocrStatus: 'completed' });
    expect(await doc('deleted.png')).toMatchObject({ ocrStatus: 'completed', sourceMissing: true });
    expect(await doc('later/moved.png')).toMatchObject({ ocrStatus: 'completed', text: `text of ${join(root, 'moved.png')}` });
    expect(await doc('queued-gone.png')).toMatchObject({ ocrStatus: 'cancelled', sourceMissing: true });
    expect((await store.stats()).pending).toBe(2);
    expect((await store.listWatchedFolders())[0]).toMatchObject({ state: 'watching' });
    expect((await store.listWatchedFolders())[0]!.lastScanAt).not.toBeNull();
  });

  it('a rescan queues a cancelled file of the folder again (requeued), and only that one', async () => {
    await start();
    for (const n of ['done', 'cancelled']) writeFileSync(join(root, `${n}.png`), `content of ${n}`);
    await waitFor('2 jobs', () => jobs() === 2);
    await handle!.stop();
    handle = undefined;
    const cancelled = (await doc('cancelled.png'))!;
    await completeAll();
    // Completed first, then a changed copy was queued and cancelled by a person.
    const [row] = (await store.listJobs({ pathSearch: 'cancelled', sort: 'path_asc', limit: 5 })).rows;
    expect(row!.documentId).toBe(cancelled.id);
    await store.enqueueBatch([{ path: cancelled.path, size: cancelled.size, mtimeMs: cancelled.mtimeMs, kind: 'image/png', languages: 'deu' }]);
    expect(await store.cancel({ allPending: true })).toBe(1);
    expect((await doc('cancelled.png'))!.ocrStatus).toBe('cancelled');

    const h = await start();
    expect(h.status().folders[0]!.lastScan!.outcomes).toMatchObject({ unchanged: 1, requeued: 1 });
    expect(await doc('cancelled.png')).toMatchObject({ ocrStatus: 'pending' });
    expect(await doc('done.png')).toMatchObject({ ocrStatus: 'completed' });
  });

  it('a file still being written while the host starts is taken whole by the rescan', async () => {
    const p = join(root, 'copying.pdf');
    writeFileSync(p, 'chunk;');
    handle = startWatching(store, { timing: { ...FAST, stabilityThresholdMs: 600 }, refreshMs: 60_000 });
    for (let i = 0; i < 10; i++) {
      await sleep(50);
      appendFileSync(p, 'chunk;');
    }
    await handle.ready;
    expect(await doc('copying.pdf')).toMatchObject({ size: 66 });
    expect(jobs()).toBe(1);
  });

  it('a folder that disappears is unavailable, nothing is marked missing, and watching resumes when it is back', async () => {
    writeFileSync(join(root, 'done.png'), 'done');
    const h = await start();
    await waitFor('1 job', () => jobs() === 1);
    const done = await store.claim('w');
    expect(done!.path).toBe(join(root, 'done.png'));
    await store.complete(done!.jobId, 'w', fakeResult('done text', done!.path));
    writeFileSync(join(root, 'waiting.png'), 'waiting');
    await waitFor('2 jobs', () => jobs() === 2);

    rmSync(root, { recursive: true });
    await waitFor('unavailable', () => h.status().folders[0]!.state === 'unavailable');
    expect(h.status().folders[0]!.message).toMatch(/resumes by itself/);
    await waitFor('state recorded', async () => (await store.listWatchedFolders())[0]!.state === 'unavailable');
    await sleep(400);
    for (const n of ['done.png', 'waiting.png']) expect(await doc(n)).toMatchObject({ sourceMissing: false });
    expect((await store.stats()).pending).toBe(1);

    // Back, with the same files (copied back: new mtimes, same bytes) and one new one.
    mkdirSync(root);
    writeFileSync(join(root, 'done.png'), 'done');
    writeFileSync(join(root, 'waiting.png'), 'waiting');
    await waitFor('watching again', () => h.status().folders[0]!.state === 'watching');
    writeFileSync(join(root, 'fresh.png'), 'fresh');
    await waitForDoc('fresh.png');
    expect(jobs()).toBe(3);
    expect(await doc('done.png')).toMatchObject({ ocrStatus: 'completed', text: 'done text' });
  });

  it('a folder missing when the host starts is unavailable until it appears', async () => {
    rmSync(root, { recursive: true });
    const h = await start();
    expect(h.status().folders[0]!.state).toBe('unavailable');
    mkdirSync(root);
    writeFileSync(join(root, 'x.png'), 'x');
    await waitForDoc('x.png');
    expect(h.status().folders[0]!.state).toBe('watching');
  });
});
