import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_SQLITE, tempDir } from '../../../test/helpers';
import { file, ocrResult } from '../../../test/store-contract';
import { loadMigrations } from '../store/migrations';
import { SqliteJobStore } from '../store/sqlite/store';
import { exportDocuments } from './export';
import { queuePolicy } from '../queue/policy';

let store: SqliteJobStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** A real queue whose documents at these paths are completed with the text "<path> 1". */
async function completed(paths: string[]): Promise<SqliteJobStore> {
  const s = new SqliteJobStore({ path: join(tempDir(), 'quire.db'), migrations: loadMigrations(MIGRATIONS_SQLITE), policy: queuePolicy() });
  await s.enqueueBatch(paths.map((p) => file(p)));
  for (;;) {
    const job = await s.claim('w');
    if (!job) break;
    expect(await s.complete(job.jobId, 'w', ocrResult(1, job.path))).toBe(true);
  }
  return s;
}

describe('exportDocuments', () => {
  it('writes a JSON record with the document facts, the languages it was read in and each page', async () => {
    const out = join(tempDir(), 'out');
    store = await completed(['/scans/a.png']);
    await exportDocuments(store, { out, formats: ['json'] });
    const json = JSON.parse(readFileSync(join(out, 'scans', 'a.png.json'), 'utf8'));
    expect(json).toMatchObject({ path: '/scans/a.png', contentHash: 'ab'.repeat(32), pageCount: 1, confidence: 91.5, languages: 'eng' });
    expect(json.pages).toEqual([{ page: 1, text: '/scans/a.png 1', confidence: 90.25, source: 'ocr' }]);
  });

  it('never creates anything outside the export folder, not even a folder, through a symbolic link in it', async () => {
    const root = tempDir();
    const out = join(root, 'out');
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(out);
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(out, 'scans'));
    store = await completed(['/scans/deep/nested/a.png', '/other/b.png']);
    const report = await exportDocuments(store, { out, formats: ['txt'] });
    expect(report.skipped).toEqual([{ path: '/scans/deep/nested/a.png', reason: 'a symbolic link in the export folder leads outside it' }]);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(readFileSync(join(out, 'other', 'b.png.txt'), 'utf8')).toBe('/other/b.png 1');
    expect(report).toMatchObject({ documents: 1, files: 1 });
  });

  it('follows a symbolic link that stays inside the export folder, and skips a document whose folder is a file', async () => {
    const root = tempDir();
    const out = join(root, 'out');
    mkdirSync(join(out, 'real'), { recursive: true });
    symlinkSync(join(out, 'real'), join(out, 'link'));
    writeFileSync(join(out, 'blocked'), 'not a folder');
    store = await completed(['/link/sub/c.png', '/blocked/d.png']);
    const report = await exportDocuments(store, { out, formats: ['txt'] });
    expect(readFileSync(join(out, 'real', 'sub', 'c.png.txt'), 'utf8')).toBe('/link/sub/c.png 1');
    expect(report.skipped).toEqual([{ path: '/blocked/d.png', reason: `${join(out, 'blocked')} is in the way: it is not a folder` }]);
    expect(readFileSync(join(out, 'blocked'), 'utf8')).toBe('not a folder');
    expect(existsSync(join(out, 'blocked.txt'))).toBe(false);
  });

  it('skips a document whose output name the file system cannot take, with the reason, and writes every other one', async () => {
    const out = join(tempDir(), 'out');
    // 255 bytes is the longest name ext4 and tmpfs take: the source fits, "<name>.txt" does not.
    const long = `/scans/${'n'.repeat(251)}.png`;
    const tooDeep = `/scans/${'d'.repeat(256)}/e.png`;
    const paths = Array.from({ length: 17 }, (_, i) => `/scans/f${String(i).padStart(2, '0')}.png`);
    store = await completed([...paths.slice(0, 3), long, tooDeep, ...paths.slice(3)]);
    const report = await exportDocuments(store, { out, formats: ['txt', 'json'] });
    // In path order, as the export walks them.
    expect(report.skipped).toEqual([
      { path: tooDeep, reason: 'a folder on its way: the file system cannot take this name (ENAMETOOLONG: the name is longer than the file system allows)' },
      { path: long, reason: 'its .txt output: the file system cannot take this name (ENAMETOOLONG: the name is longer than the file system allows)' },
      { path: long, reason: 'its .json output: the file system cannot take this name (ENAMETOOLONG: the name is longer than the file system allows)' },
    ]);
    expect(report).toMatchObject({ documents: 17, files: 34 });
    for (const p of paths) expect(readFileSync(join(out, `${p}.txt`), 'utf8')).toBe(`${p} 1`);
  });
});
