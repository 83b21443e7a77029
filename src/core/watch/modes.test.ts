/** Polling: chosen by the user, chosen for a network file system, or forced by the OS watch limit. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { watch as chokidarWatch } from 'chokidar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAST, freshDir, openStore, waitFor } from '../../../test/watch-support';
import type { SqliteJobStore } from '../store/sqlite/store';
import type { WatcherFactory } from './folder-types';
import { addWatchedFolder } from './folders';
import type { WatchHandle, WatchOptions } from './host';
import { startWatching } from './host';

let tmp: ReturnType<typeof freshDir>;
let store: SqliteJobStore;
let handle: WatchHandle | undefined;
let root: string;

beforeEach(() => {
  tmp = freshDir();
  root = join(tmp.dir, 'share');
  mkdirSync(join(root, 'nested'), { recursive: true });
  store = openStore(tmp.dir);
});

afterEach(async () => {
  await handle?.stop();
  handle = undefined;
  await store.close();
  tmp.cleanup();
});

const start = async (o: WatchOptions = {}) => {
  handle = startWatching(store, { timing: FAST, refreshMs: 60_000, ...o });
  await handle.ready;
  return handle;
};
const doc = (name: string) => store.getDocumentByPath(join(root, name));

/** Adds, changes and deletes files and checks the queue follows, whatever the mode. */
async function exercise(): Promise<void> {
  writeFileSync(join(root, 'nested', 'p1.png'), 'one');
  await waitFor('p1 enqueued', async () => (await doc('nested/p1.png')) !== null);
  writeFileSync(join(root, 'nested', 'p1.png'), 'one, changed');
  await waitFor('p1 re-read', async () => (await doc('nested/p1.png'))?.size === 12);
  rmSync(join(root, 'nested', 'p1.png'));
  await waitFor('p1 gone', async () => (await doc('nested/p1.png'))?.sourceMissing === true);
  expect(await store.stats()).toMatchObject({ pending: 0, cancelled: 1 });
}

describe('polling', () => {
  it('polls a folder when the user asks', async () => {
    await addWatchedFolder(store, root, { poll: true });
    const h = await start();
    expect(h.status().folders[0]).toMatchObject({ state: 'polling', mode: 'polling' });
    expect(h.status().folders[0]!.message).toMatch(/as chosen/);
    await exercise();
  });

  it('polls a folder on a network file system', async () => {
    await addWatchedFolder(store, root);
    const h = await start({ networkFsType: (p) => (p === root ? 'nfs4' : null) });
    expect(h.status().folders[0]).toMatchObject({ state: 'polling', mode: 'polling' });
    expect(h.status().folders[0]!.message).toMatch(/network file system \(nfs4\)/);
    expect((await store.listWatchedFolders())[0]).toMatchObject({ state: 'polling' });
  });

  it('switches to polling with a clear message when the OS watch limit is reached', async () => {
    await addWatchedFolder(store, root);
    // Real chokidar; the native watcher reports ENOSPC as fs.watch does when
    // fs.inotify.max_user_watches is exhausted (lowering the real limit would disturb the machine).
    const createWatcher: WatcherFactory = (path, o) => {
      const w = chokidarWatch(path, o);
      if (!o.usePolling) {
        setImmediate(() => w.emit('error', Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' })));
      }
      return w;
    };
    const h = await start({ createWatcher });
    await waitFor('polling', () => h.status().folders[0]!.state === 'polling');
    expect(h.status().folders[0]!.message).toMatch(/limit on file watches \(fs\.inotify\.max_user_watches = \S+\) was reached.*raise the limit/);
    await exercise();
  });

  it('an unexpected watcher failure is an error state with the reason, retried later', async () => {
    await addWatchedFolder(store, root);
    let calls = 0;
    const createWatcher: WatcherFactory = (path, o) => {
      if (++calls === 1) throw new Error('simulated watcher failure');
      return chokidarWatch(path, o);
    };
    const h = await start({ createWatcher });
    expect(h.status().folders[0]).toMatchObject({ state: 'error' });
    expect(h.status().folders[0]!.message).toMatch(/Watching failed: simulated watcher failure\. Quire tries again/);
    await waitFor('recovered', () => h.status().folders[0]!.state === 'watching');
    await exercise();
  });

  it('native watching by default on a local disk', async () => {
    await addWatchedFolder(store, root);
    const h = await start();
    expect(h.status().folders[0]).toMatchObject({ state: 'watching', mode: 'native', message: null });
    await exercise();
  });
});

describe('the real inotify limit', () => {
  it('a folder with more subfolders than the watch limit falls back to polling and keeps enqueuing', async () => {
    const { execFileSync } = await import('node:child_process');
    const { REPO_ROOT } = await import('../../../test/helpers');
    for (let i = 0; i < 120; i++) mkdirSync(join(root, `d${i}`));
    writeFileSync(join(root, 'd3', 'early.png'), 'early');
    await addWatchedFolder(store, root);
    await store.close();
    // A user namespace has its own inotify limit, so the test lowers it without touching the machine's.
    const child = join(REPO_ROOT, 'test', 'watch-enospc-child.ts');
    const out = execFileSync(
      'unshare',
      ['-Ur', 'sh', '-c', 'echo 60 > /proc/sys/user/max_inotify_watches && exec "$0" --import tsx "$@"', process.execPath, child, tmp.dir, root],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    store = openStore(tmp.dir);
    const { status } = JSON.parse(out.trim().split('\n').pop()!) as { status: { state: string; mode: string; message: string } };
    expect(status).toMatchObject({ state: 'polling', mode: 'polling' });
    expect(status.message).toMatch(/max_user_watches = \d+\) was reached/);
    expect(await doc('d3/early.png')).not.toBeNull(); // found by the rescan
    expect(await doc('d7/late.png')).not.toBeNull(); // found by polling
  });
});
