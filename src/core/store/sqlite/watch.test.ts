import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDir, openStore } from '../../../../test/watch-support';
import type { OcrResult } from '../types';
import { prefixRange } from './watch';
import type { SqliteJobStore } from './store';

let tmp: ReturnType<typeof freshDir>;
let store: SqliteJobStore;
beforeEach(() => {
  tmp = freshDir();
  store = openStore(tmp.dir);
});
afterEach(async () => {
  await store.close();
  tmp.cleanup();
});

const result = (text: string, contentHash: string | null = null): OcrResult => ({
  text,
  pages: [{ pageNo: 1, text, confidence: 90, source: 'ocr' }],
  confidence: 90,
  engine: 'fake',
  languages: 'eng',
  processingTimeMs: 5,
  contentHash,
});

async function completeOne(text: string): Promise<void> {
  const job = await store.claim('w1');
  expect(job).not.toBeNull();
  expect(await store.complete(job!.jobId, 'w1', result(text))).toBe(true);
}

describe('watched folder rows', () => {
  it('adds, lists, records state and removes', async () => {
    const f = await store.addWatchedFolder({ path: '/data/in', poll: true, ignore: ['*.bak'], outputs: { txt: true, pdf: false, dir: '/data/out' } });
    expect(f).toMatchObject({ path: '/data/in', poll: true, ignore: ['*.bak'], state: 'stopped', lastScanAt: null });
    await expect(store.addWatchedFolder({ ...f })).rejects.toThrow(/already a watched folder/);
    await store.setWatchedFolderState('/data/in', 'unavailable', 'gone', false);
    await store.setWatchedFolderState('/data/in', 'watching', null, true);
    const [row] = await store.listWatchedFolders();
    expect(row).toMatchObject({ state: 'watching', stateMessage: null, outputs: { txt: true, pdf: false, dir: '/data/out' } });
    expect(row!.lastScanAt).not.toBeNull();
    expect(await store.removeWatchedFolder('/data/in')).toBe(true);
    expect(await store.removeWatchedFolder('/data/in')).toBe(false);
    expect(await store.listWatchedFolders()).toEqual([]);
  });
});

describe('documents of watched files', () => {
  const file = (path: string, size = 10) => ({ path, size, mtimeMs: 1000, kind: 'image/png' });

  it('lists documents under a folder by path prefix only', async () => {
    await store.enqueueBatch([file('/a/x.png'), file('/a/b/y.png'), file('/ab/z.png'), file('/a.png')]);
    expect((await store.listDocumentsUnder('/a')).map((d) => d.path).sort()).toEqual(['/a/b/y.png', '/a/x.png']);
    expect(prefixRange('C:\\in', '\\')).toEqual(['C:\\in\\', 'C:\\in]']);
  });

  it('cancels pending jobs of deleted files and marks documents missing, keeping completed results', async () => {
    await store.enqueueBatch([file('/a/done.png'), file('/a/pending.png')]);
    await completeOne('kept text');
    expect(await store.cancelPendingForPaths(['/a/done.png', '/a/pending.png', '/a/none.png'])).toBe(1);
    expect(await store.setSourceMissing(['/a/done.png', '/a/pending.png'], true)).toBe(2);
    expect(await store.setSourceMissing(['/a/done.png'], true)).toBe(0); // already missing
    const done = await store.getDocumentByPath('/a/done.png');
    expect(done).toMatchObject({ ocrStatus: 'completed', sourceMissing: true, text: 'kept text' });
    expect(await store.getDocumentByPath('/a/pending.png')).toMatchObject({ ocrStatus: 'cancelled', ocrErrorKind: 'file_missing' });
    // The file comes back unchanged: a new job for the cancelled one only.
    expect(await store.requeueDocuments(['/a/pending.png', '/a/done.png'])).toBe(2);
    expect((await store.stats()).pending).toBe(2);
    expect(await store.requeueDocuments(['/a/pending.png'])).toBe(0); // already live
  });

  it('moves a document to a new path keeping its result, and finds it by hash', async () => {
    await store.enqueueBatch([file('/a/old.png'), file('/a/taken.png')]);
    await store.updateDocumentFiles([{ path: '/a/old.png', size: 10, mtimeMs: 1000, contentHash: 'h1' }]);
    await completeOne('moved text');
    const [c] = await store.findDocumentsByContentHash('h1');
    expect(c).toMatchObject({ path: '/a/old.png', ocrStatus: 'completed' });
    expect(await store.moveDocument(c!.id, '/a/taken.png', 10, 2000)).toBe(false);
    expect(await store.hasMissingDocumentOfSize(10)).toBe(false);
    await store.setSourceMissing(['/a/old.png'], true);
    expect(await store.hasMissingDocumentOfSize(10)).toBe(true);
    expect(await store.hasMissingDocumentOfSize(11)).toBe(false);
    expect(await store.moveDocument(c!.id, '/b/new.png', 11, 2000.7)).toBe(true);
    expect(await store.getDocumentByPath('/a/old.png')).toBeNull();
    expect(await store.getDocumentByPath('/b/new.png')).toMatchObject({ text: 'moved text', size: 11, mtimeMs: 2000, sourceMissing: false });
  });

  it('records file facts without a job and keeps the hash when given none', async () => {
    await store.enqueueBatch([file('/a/x.png')]);
    await store.updateDocumentFiles([{ path: '/a/x.png', size: 10, mtimeMs: 1000, contentHash: 'abc' }]);
    expect(await store.updateDocumentFiles([{ path: '/a/x.png', size: 12, mtimeMs: 3000, contentHash: null }])).toBe(1);
    expect(await store.getDocumentByPath('/a/x.png')).toMatchObject({ size: 12, mtimeMs: 3000, contentHash: 'abc' });
    expect((await store.stats()).pending).toBe(1);
    expect(await store.updateDocumentFiles([{ path: join('/a', 'nope.png'), size: 1, mtimeMs: 1, contentHash: null }])).toBe(0);
  });
});
