/** A job's own OCR languages through the pool: store -> job message -> worker -> engine -> document. */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { drained, enqueueScripts, makePool, openStore, waitUntil } from './harness';

describe('job languages in the pool', () => {
  it('each job is read with its own languages (none: the engine default), and dedupe only reuses a result read with them', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    const [a, b] = await enqueueScripts(store, dir, { 'a.png': 'text hallo', 'b.png': 'text hello' });
    await store.enqueueBatch([{ path: a!, size: 100, mtimeMs: 1, kind: 'image/png', languages: 'deu+eng' }]);
    const { pool } = makePool(store, { concurrency: 1 });
    const completed: { path: string; reused: boolean }[] = [];
    pool.on('job-completed', (e) => completed.push({ path: e.path, reused: e.reused }));
    await pool.start();
    await waitUntil(() => drained(store), 30_000, 'the batch');
    const languagesOf = (path: string) =>
      (store.db.prepare<[string], { ocr_languages: string | null }>('SELECT ocr_languages FROM documents WHERE path = ?').get(path))?.ocr_languages;
    expect(languagesOf(a!)).toBe('deu+eng');
    expect(languagesOf(b!)).toBe('eng');

    // Identical bytes asked for in French: not the German result, read again.
    const fr = join(dir, 'a-fr.png');
    const de = join(dir, 'a-de.png');
    copyFileSync(a!, fr);
    copyFileSync(a!, de);
    await store.enqueueBatch([
      { path: fr, size: 100, mtimeMs: 1, kind: 'image/png', languages: 'fra' },
      { path: de, size: 100, mtimeMs: 1, kind: 'image/png', languages: 'deu+eng' },
    ]);
    await waitUntil(() => drained(store), 30_000, 'the copies');
    expect(languagesOf(fr)).toBe('fra');
    expect(languagesOf(de)).toBe('deu+eng');
    expect(completed.filter((c) => c.path === fr || c.path === de)).toEqual([
      { path: fr, reused: false },
      { path: de, reused: true },
    ]);
  });
});
