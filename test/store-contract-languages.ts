/** Contract: a job's own OCR languages (ocr_queue.languages) and a watched folder's, on both stores. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock';
import type { JobStore } from '../src/core/store/types';
import { file, type Harness } from './store-contract';
import { textResult } from './store-contract-pool';

const withLang = (path: string, languages?: string, size = 10) => ({ ...file(path, size), ...(languages ? { languages } : {}) });

async function completeWith(store: JobStore, languages: string, hash: string | null = null): Promise<string> {
  const job = (await store.claim('w1'))!;
  expect(await store.complete(job.jobId, 'w1', { ...textResult('text', hash), languages })).toBe(true);
  return job.documentId;
}

export function defineLanguagesContract(h: Harness): void {
  describe('job languages', () => {
    it('stores languages at enqueue and returns them at claim; none means the setting (null)', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      await store.enqueueBatch([withLang('/l/a.png', 'deu+eng'), withLang('/l/b.png')]);
      const a = (await store.claim('w1'))!;
      const b = (await store.claim('w2'))!;
      expect([a.path, a.languages]).toEqual(['/l/a.png', 'deu+eng']);
      expect([b.path, b.languages]).toEqual(['/l/b.png', null]);
    });

    it('a file enqueued again with other languages gets them: its pending job takes them, a done one is queued again', async () => {
      const { store, sql } = await h.fresh({ clock: new ManualClock() });
      await store.enqueueBatch([withLang('/l/a.png', 'eng')]);
      // Pending: the same job takes the new languages.
      let r = await store.enqueueBatch([withLang('/l/a.png', 'deu')]);
      expect(r).toMatchObject({ enqueued: 0, alreadyQueued: 1 });
      expect(await sql(`SELECT status, languages FROM ocr_queue`)).toEqual([{ status: 'pending', languages: 'deu' }]);
      // The same languages again change nothing.
      r = await store.enqueueBatch([withLang('/l/a.png', 'deu'), withLang('/l/a.png')]);
      expect(r).toMatchObject({ enqueued: 0, unchanged: 2 });
      await completeWith(store, 'deu');
      // Done with deu: asked again with deu it is unchanged, with fra it is read again with fra.
      expect(await store.enqueueBatch([withLang('/l/a.png', 'deu')])).toMatchObject({ unchanged: 1 });
      expect(await store.enqueueBatch([withLang('/l/a.png')])).toMatchObject({ unchanged: 1 });
      expect(await store.enqueueBatch([withLang('/l/a.png', 'fra+eng')])).toMatchObject({ enqueued: 1 });
      const again = (await store.claim('w1'))!;
      expect([again.path, again.languages]).toEqual(['/l/a.png', 'fra+eng']);
      expect((await store.getDocumentByPath('/l/a.png'))!.ocrStatus).toBe('processing');
    });

    it('a changed file gets the languages it is enqueued with now', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      await store.enqueueBatch([withLang('/l/c.png', 'eng')]);
      expect((await store.getDocumentByPath('/l/c.png'))!.languages).toBeNull();
      await completeWith(store, 'eng');
      // The document says which languages its text was read with.
      expect((await store.getDocumentByPath('/l/c.png'))!.languages).toBe('eng');
      expect(await store.enqueueBatch([withLang('/l/c.png', 'nld', 20)])).toMatchObject({ enqueued: 1 });
      expect((await store.claim('w1'))!.languages).toBe('nld');
    });

    it('a path twice in one batch: the later languages win on the one job', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      const r = await store.enqueueBatch([withLang('/l/d.png', 'eng'), withLang('/l/d.png', 'spa')]);
      expect(r.outcomes).toEqual(['enqueued', 'already_queued']);
      expect((await store.claim('w1'))!.languages).toBe('spa');
      expect(await store.claim('w2')).toBeNull();
    });

    it('dedupe by content hash reuses only a result read with the asked languages', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      await store.enqueueBatch([withLang('/l/e.png', 'deu')]);
      await completeWith(store, 'deu', 'h1');
      expect((await store.findCompletedByHash('h1'))?.languages).toBe('deu');
      expect((await store.findCompletedByHash('h1', 'deu'))?.languages).toBe('deu');
      expect(await store.findCompletedByHash('h1', 'fra')).toBeNull();
    });

    it('a watched folder keeps its languages (null: the setting)', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      const outputs = { txt: false, pdf: false, dir: null };
      expect((await store.addWatchedFolder({ path: '/w/de', poll: false, ignore: [], outputs, languages: 'deu+eng' })).languages).toBe('deu+eng');
      expect((await store.addWatchedFolder({ path: '/w/any', poll: false, ignore: [], outputs })).languages).toBeNull();
      expect((await store.listWatchedFolders()).map((f) => [f.path, f.languages])).toEqual([
        ['/w/any', null],
        ['/w/de', 'deu+eng'],
      ]);
    });
  });
}
