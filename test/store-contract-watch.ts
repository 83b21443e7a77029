/** Contract: watched folder rows and the documents of watched files (missing sources, moves, requeue). */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock';
import type { JobStore } from '../src/core/store/types';
import { file, type Harness } from './store-contract';
import { textResult } from './store-contract-pool';

const watchedFile = (path: string, size = 10) => file(path, size, 1000);

async function completeOne(store: JobStore, text: string): Promise<void> {
  const job = await store.claim('w1');
  expect(job).not.toBeNull();
  expect(await store.complete(job!.jobId, 'w1', textResult(text, null))).toBe(true);
}

export function defineWatchContract(h: Harness): void {
  describe('watched folders', () => {
    it('adds, lists, records state and removes', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock });
      const added = clock.now();
      const f = await store.addWatchedFolder({ path: '/data/in', poll: true, ignore: ['*.bak'], outputs: { txt: true, pdf: false, dir: '/data/out' } });
      expect(f).toEqual({
        id: expect.any(String),
        path: '/data/in',
        poll: true,
        ignore: ['*.bak'],
        outputs: { txt: true, pdf: false, dir: '/data/out' },
        languages: null,
        state: 'stopped',
        stateMessage: null,
        stateChangedAt: null,
        lastScanAt: null,
        addedAt: added,
      });
      await expect(store.addWatchedFolder({ ...f })).rejects.toMatchObject({ code: 'already_watched', message: expect.stringMatching(/already a watched folder/) });
      await store.addWatchedFolder({ path: '/data/B', poll: false, ignore: [], outputs: { txt: false, pdf: true, dir: null } });
      clock.advance(5000);
      await store.setWatchedFolderState('/data/in', 'unavailable', 'gone', false);
      let row = (await store.listWatchedFolders()).find((x) => x.path === '/data/in')!;
      expect(row).toMatchObject({ state: 'unavailable', stateMessage: 'gone', stateChangedAt: added + 5000, lastScanAt: null });
      clock.advance(5000);
      await store.setWatchedFolderState('/data/in', 'watching', null, true);
      row = (await store.listWatchedFolders()).find((x) => x.path === '/data/in')!;
      expect(row).toMatchObject({ state: 'watching', stateMessage: null, stateChangedAt: added + 10_000, lastScanAt: added + 10_000 });
      // Byte order, as on SQLite: upper case before lower case.
      expect((await store.listWatchedFolders()).map((x) => x.path)).toEqual(['/data/B', '/data/in']);
      expect(await store.removeWatchedFolder('/data/in')).toBe(true);
      expect(await store.removeWatchedFolder('/data/in')).toBe(false);
      expect((await store.listWatchedFolders()).map((x) => x.path)).toEqual(['/data/B']);
    });
  });

  describe('documents of watched files', () => {
    it('lists documents under a folder by path prefix only', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      await store.enqueueBatch([watchedFile('/a/x.png'), watchedFile('/a/b/y.png'), watchedFile('/ab/z.png'), watchedFile('/a.png'), watchedFile('/a0')]);
      const under = (await store.listDocumentsUnder('/a')).sort((p, q) => (p.path < q.path ? -1 : 1));
      expect(under).toEqual([
        { id: expect.any(String), path: '/a/b/y.png', size: 10, mtimeMs: 1000, contentHash: null, ocrStatus: 'pending', sourceMissing: false },
        { id: expect.any(String), path: '/a/x.png', size: 10, mtimeMs: 1000, contentHash: null, ocrStatus: 'pending', sourceMissing: false },
      ]);
      expect((await store.listDocumentsUnder('/a/')).map((d) => d.path).sort()).toEqual(['/a/b/y.png', '/a/x.png']);
    });

    it('cancels pending jobs of deleted files and marks documents missing, keeping completed results', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      await store.enqueueBatch([watchedFile('/a/done.png'), watchedFile('/a/pending.png')]);
      await completeOne(store, 'kept text');
      expect(await store.cancelPendingForPaths([])).toBe(0);
      expect(await store.cancelPendingForPaths(['/a/done.png', '/a/pending.png', '/a/none.png'])).toBe(1);
      expect(await store.setSourceMissing(['/a/done.png', '/a/pending.png'], true)).toBe(2);
      expect(await store.setSourceMissing(['/a/done.png'], true)).toBe(0); // already missing
      const done = await store.getDocumentByPath('/a/done.png');
      expect(done).toMatchObject({ ocrStatus: 'completed', sourceMissing: true, text: 'kept text' });
      expect(await store.getDocumentByPath('/a/pending.png')).toMatchObject({ ocrStatus: 'cancelled', ocrErrorKind: 'file_missing' });
      expect((await store.stats()).cancelled).toBe(1);
      // The file comes back unchanged: a new job for each, superseding the cancelled row.
      expect(await store.requeueDocuments(['/a/pending.png', '/a/done.png', '/a/none.png'])).toBe(2);
      const s = await store.stats();
      expect([s.pending, s.cancelled, s.completed]).toEqual([2, 0, 1]);
      expect(await store.getDocumentByPath('/a/pending.png')).toMatchObject({ ocrStatus: 'pending', ocrError: null, ocrErrorKind: null });
      expect(await store.requeueDocuments(['/a/pending.png'])).toBe(0); // already live
      expect(await store.setSourceMissing(['/a/done.png'], false)).toBe(1);
      expect((await store.getDocumentByPath('/a/done.png'))!.sourceMissing).toBe(false);
    });

    it('moves a document to a new path keeping its result, and finds it by hash', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      await store.enqueueBatch([watchedFile('/a/old.png'), watchedFile('/a/taken.png'), watchedFile('/a/copy.png')]);
      await store.updateDocumentFiles([
        { path: '/a/old.png', size: 10, mtimeMs: 1000, contentHash: 'h1' },
        { path: '/a/copy.png', size: 10, mtimeMs: 1000, contentHash: 'h1' },
      ]);
      await completeOne(store, 'moved text'); // old.png: first in claim order
      const byHash = await store.findDocumentsByContentHash('h1');
      expect(byHash.map((d) => [d.path, d.ocrStatus])).toEqual([
        ['/a/old.png', 'completed'],
        ['/a/copy.png', 'pending'],
      ]);
      const c = byHash[0]!;
      expect(await store.moveDocument(c.id, '/a/taken.png', 10, 2000)).toBe(false);
      expect(await store.hasMissingDocumentOfSize(10)).toBe(false);
      await store.setSourceMissing(['/a/old.png'], true);
      expect(await store.hasMissingDocumentOfSize(10)).toBe(true);
      expect(await store.hasMissingDocumentOfSize(11)).toBe(false);
      expect(await store.moveDocument(c.id, '/b/new.png', 11, 2000.7)).toBe(true);
      expect(await store.getDocumentByPath('/a/old.png')).toBeNull();
      expect(await store.getDocumentByPath('/b/new.png')).toMatchObject({ text: 'moved text', size: 11, mtimeMs: 2000, sourceMissing: false, ocrStatus: 'completed' });
      expect(await store.moveDocument(c.id, '/b/new.png', 11, 2000)).toBe(true); // onto its own path
      expect(await store.moveDocument('no-such-id', '/b/other.png', 1, 1)).toBe(false);
    });

    it('records file facts without a job and keeps the hash when given none', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      await store.enqueueBatch([watchedFile('/a/x.png'), watchedFile('/a/y.png')]);
      await store.setSourceMissing(['/a/x.png'], true);
      expect(await store.updateDocumentFiles([{ path: '/a/x.png', size: 10, mtimeMs: 1000, contentHash: 'abc' }])).toBe(1);
      expect(await store.updateDocumentFiles([
        { path: '/a/x.png', size: 12, mtimeMs: 3000.9, contentHash: null },
        { path: '/a/y.png', size: 13, mtimeMs: 4000, contentHash: 'def' },
        { path: '/a/nope.png', size: 1, mtimeMs: 1, contentHash: null },
      ])).toBe(2);
      expect(await store.getDocumentByPath('/a/x.png')).toMatchObject({ size: 12, mtimeMs: 3000, contentHash: 'abc', sourceMissing: false });
      expect(await store.getDocumentByPath('/a/y.png')).toMatchObject({ size: 13, mtimeMs: 4000, contentHash: 'def' });
      expect((await store.stats()).pending).toBe(2);
      expect(await store.updateDocumentFiles([])).toBe(0);
    });
  });
}
