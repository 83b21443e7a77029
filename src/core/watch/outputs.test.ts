/** Outputs: written when a job completes, never ingested again, output folders excluded. */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAST, fakeResult, freshDir, openStore, sleep, waitFor } from '../../../test/watch-support';
import type { SqliteJobStore } from '../store/sqlite/store';
import { addWatchedFolder } from './folders';
import type { WatchHandle } from './host';
import { startWatching } from './host';
import type { OutputReport } from './outputs';
import { createOutputWriter } from './outputs';

let tmp: ReturnType<typeof freshDir>;
let store: SqliteJobStore;
let handle: WatchHandle | undefined;
let root: string;

beforeEach(() => {
  tmp = freshDir();
  root = join(tmp.dir, 'inbox');
  mkdirSync(join(root, 'sub'), { recursive: true });
  store = openStore(tmp.dir);
});

afterEach(async () => {
  await handle?.stop();
  handle = undefined;
  await store.close();
  tmp.cleanup();
});

const docs = () => (store.db.prepare('SELECT COUNT(*) AS n FROM documents').get() as { n: number }).n;
const PDF = new TextEncoder().encode('%PDF-1.4 searchable\n%%EOF\n');

/** Writes a scan, waits for its job, completes it through the store and runs the hook. */
async function process(rel: string, text: string): Promise<string[]> {
  return (await processReport(rel, text)).written;
}

async function processReport(rel: string, text: string): Promise<OutputReport> {
  const path = join(root, rel);
  writeFileSync(path, `bytes of ${rel}`);
  await waitFor(`${rel} enqueued`, async () => (await store.getDocumentByPath(path)) !== null);
  const job = (await store.claim('w'))!;
  await store.complete(job.jobId, 'w', fakeResult(text, job.path));
  return handle!.onJobCompleted((await store.getDocument(job.documentId))!, { pdf: PDF });
}

describe('outputs of watched folders', () => {
  it('writes .ocr.txt and .ocr.pdf next to the source, and never ingests them', async () => {
    await addWatchedFolder(store, root, { txt: true, pdf: true });
    handle = startWatching(store, { timing: FAST, refreshMs: 60_000 });
    await handle.ready;
    const written = await process('sub/scan.png', 'Hello from the scan');
    expect(written).toEqual([join(root, 'sub', 'scan.png.ocr.txt'), join(root, 'sub', 'scan.png.ocr.pdf')]);
    expect(readFileSync(join(root, 'sub', 'scan.png.ocr.txt'), 'utf8')).toBe('Hello from the scan');
    expect(readFileSync(join(root, 'sub', 'scan.png.ocr.pdf'))).toEqual(Buffer.from(PDF));
    await sleep(500); // time for a watcher to (wrongly) pick the outputs up
    expect(docs()).toBe(1);
    expect((await store.stats()).pending).toBe(0);
    // After a restart, the rescan leaves them alone too.
    await handle.stop();
    handle = startWatching(store, { timing: FAST, refreshMs: 60_000 });
    await handle.ready;
    expect(docs()).toBe(1);
  });

  it('a processed file renamed in the folder takes its outputs along; one without outputs gets its text written', async () => {
    await addWatchedFolder(store, root, { txt: true, pdf: true });
    handle = startWatching(store, { timing: FAST, refreshMs: 60_000 });
    await handle.ready;
    await process('sub/scan.png', 'Text of the scan');
    expect(existsSync(join(root, 'sub', 'scan.png.ocr.txt'))).toBe(true);
    renameSync(join(root, 'sub', 'scan.png'), join(root, 'sub', 'renamed.png'));
    await waitFor('the outputs follow the file', async () => existsSync(join(root, 'sub', 'renamed.png.ocr.txt')) && existsSync(join(root, 'sub', 'renamed.png.ocr.pdf')));
    expect(readFileSync(join(root, 'sub', 'renamed.png.ocr.txt'), 'utf8')).toBe('Text of the scan');
    expect(readFileSync(join(root, 'sub', 'renamed.png.ocr.pdf'))).toEqual(Buffer.from(PDF));
    // No sidecar is left naming a file that is not there, and no new OCR was queued.
    expect(existsSync(join(root, 'sub', 'scan.png.ocr.txt'))).toBe(false);
    expect(existsSync(join(root, 'sub', 'scan.png.ocr.pdf'))).toBe(false);
    expect((await store.stats()).pending).toBe(0);

    // Its text output deleted by the user, then the file moved again: the text is written from the queue.
    rmSync(join(root, 'sub', 'renamed.png.ocr.txt'));
    mkdirSync(join(root, 'later'));
    renameSync(join(root, 'sub', 'renamed.png'), join(root, 'later', 'again.png'));
    await waitFor('the text written for the new name', async () => existsSync(join(root, 'later', 'again.png.ocr.txt')));
    expect(readFileSync(join(root, 'later', 'again.png.ocr.txt'), 'utf8')).toBe('Text of the scan');
    expect(existsSync(join(root, 'later', 'again.png.ocr.pdf'))).toBe(true);
    expect(readdirSync(join(root, 'sub'))).toEqual([]);
    expect(docs()).toBe(1);
  });

  it("a file moved in from a folder that wrote no outputs gets its text written, and a same-named file there is the user's and stays", async () => {
    const plain = join(tmp.dir, 'plain');
    mkdirSync(plain);
    await addWatchedFolder(store, plain, {}); // watched, no outputs
    await addWatchedFolder(store, root, { txt: true });
    handle = startWatching(store, { timing: FAST, refreshMs: 60_000 });
    await handle.ready;
    writeFileSync(join(plain, 'memo.png'), 'bytes of memo');
    await waitFor('memo enqueued', async () => (await store.getDocumentByPath(join(plain, 'memo.png'))) !== null);
    const job = (await store.claim('w'))!;
    await store.complete(job.jobId, 'w', fakeResult('Text of the memo', job.path));
    writeFileSync(join(plain, 'memo.png.ocr.txt'), 'the user keeps notes here');
    renameSync(join(plain, 'memo.png'), join(root, 'memo.png'));
    await waitFor('the text written at the new place', async () => existsSync(join(root, 'memo.png.ocr.txt')));
    expect(readFileSync(join(root, 'memo.png.ocr.txt'), 'utf8')).toBe('Text of the memo');
    expect(readFileSync(join(plain, 'memo.png.ocr.txt'), 'utf8')).toBe('the user keeps notes here');
  });

  it('mirrors the tree into an output folder inside the watched folder, which is excluded', async () => {
    const out = join(root, 'ocr-out');
    const { notes } = await addWatchedFolder(store, root, { pdf: true, txt: true, outputDir: out });
    expect(notes.join(' ')).toMatch(/excluded from watching/);
    handle = startWatching(store, { timing: FAST, refreshMs: 60_000 });
    await handle.ready;
    await process('sub/page.tif', 'page text');
    expect(readFileSync(join(out, 'sub', 'page.tif.ocr.txt'), 'utf8')).toBe('page text');
    expect(existsSync(join(out, 'sub', 'page.tif.ocr.pdf'))).toBe(true);
    writeFileSync(join(out, 'stray.png'), 'a scan dropped into the output folder');
    await sleep(500);
    expect(docs()).toBe(1);
  });

  it('never ingests outputs written into another watched folder', async () => {
    const other = join(tmp.dir, 'other');
    const out = join(other, 'texts');
    mkdirSync(out, { recursive: true });
    await addWatchedFolder(store, other);
    await addWatchedFolder(store, root, { txt: true, pdf: true, outputDir: out });
    handle = startWatching(store, { timing: FAST, refreshMs: 60_000 });
    await handle.ready;
    await process('scan.png', 'text');
    expect(existsSync(join(out, 'scan.png.ocr.pdf'))).toBe(true);
    writeFileSync(join(out, 'looks-like-a-scan.png'), 'inside an output folder');
    writeFileSync(join(other, 'real.png'), 'a real input of the other folder');
    await waitFor('real.png enqueued', async () => (await store.getDocumentByPath(join(other, 'real.png'))) !== null);
    await sleep(300);
    expect(docs()).toBe(2);
  });

  it('writes nothing for folders without outputs or documents outside watched folders', async () => {
    await addWatchedFolder(store, root);
    handle = startWatching(store, { timing: FAST, refreshMs: 60_000 });
    await handle.ready;
    expect(await process('plain.png', 'text')).toEqual([]);
    const elsewhere = join(tmp.dir, 'elsewhere.png');
    await store.enqueueBatch([{ path: elsewhere, size: 1, mtimeMs: 1, kind: 'image/png' }]);
    const job = (await store.claim('w'))!;
    await store.complete(job.jobId, 'w', fakeResult('x'));
    expect(await createOutputWriter(store)((await store.getDocument(job.documentId))!)).toEqual({ written: [], skipped: [] });
  });

  it('skips an output whose name the file system cannot take, says why, and writes the others', async () => {
    await addWatchedFolder(store, root, { txt: true, pdf: true });
    handle = startWatching(store, { timing: FAST, refreshMs: 60_000 });
    await handle.ready;
    const seen: string[] = [];
    handle.on('output-skipped', (e) => seen.push(`${e.source}: ${e.reason}`));
    // 247 bytes: "<name>.ocr.txt" is 255 bytes, the longest ext4 and tmpfs take (the temporary name
    // made from it passed the limit first: these failed from 248 - 14 bytes). 248: too long.
    const fits = `${'f'.repeat(243)}.png`;
    const long = `${'l'.repeat(244)}.png`;
    expect((await processReport(fits, 'fits')).written).toEqual([join(root, `${fits}.ocr.txt`), join(root, `${fits}.ocr.pdf`)]);
    const r = await processReport(long, 'too long');
    const why = 'the file system cannot take this name (ENAMETOOLONG: the name is longer than the file system allows)';
    expect(r.skipped).toEqual([
      { path: join(root, `${long}.ocr.txt`), reason: why },
      { path: join(root, `${long}.ocr.pdf`), reason: why },
    ]);
    expect(seen).toEqual([`${join(root, long)}: ${why}`, `${join(root, long)}: ${why}`]);
    expect(handle.status().folders[0]?.skippedOutputs).toEqual({ count: 2, recent: r.skipped });
    expect(await process('next.png', 'still written')).toEqual([join(root, 'next.png.ocr.txt'), join(root, 'next.png.ocr.pdf')]);
    expect(readdirSync(root).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses an output folder that is the watched folder, nested and duplicate folders', async () => {
    await expect(addWatchedFolder(store, root, { outputDir: root })).rejects.toThrow(/cannot be the watched folder itself/);
    await addWatchedFolder(store, root);
    await expect(addWatchedFolder(store, root)).rejects.toThrow(/already a watched folder/);
    await expect(addWatchedFolder(store, join(root, 'sub'))).rejects.toThrow(/inside the watched folder/);
    await expect(addWatchedFolder(store, tmp.dir)).rejects.toThrow(/contains the watched folder/);
    await expect(addWatchedFolder(store, join(tmp.dir, 'nope'))).rejects.toThrow(/No such folder/);
    await expect(addWatchedFolder(store, join(tmp.dir, 'quire.db'))).rejects.toThrow(/is a file/);
  });
});
