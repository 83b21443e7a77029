import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest } from '../src/core/ingest/ingest';
import { loadMigrations } from '../src/core/store/migrations';
import { SqliteJobStore } from '../src/core/store/sqlite/store';
import type { JobStore } from '../src/core/store/types';
import { MIGRATIONS_SQLITE, tempDir } from './helpers';
import { queuePolicy } from '../src/core/queue/policy';

const root = tempDir();
let n = 0;
function newStore(): SqliteJobStore {
  return new SqliteJobStore({ path: join(root, `q${++n}.db`), migrations: loadMigrations(MIGRATIONS_SQLITE), policy: queuePolicy() });
}

function write(path: string, content = 'x'): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** A tree with everything ingest must tell apart. */
function messyTree(): string {
  const t = join(root, `tree${++n}`);
  write(join(t, 'a.png'));
  write(join(t, 'deep/er/still/b.PDF'));
  write(join(t, 'deep/c.Tif'));
  write(join(t, 'deep/scan.jpeg'));
  write(join(t, 'notes.txt')); // unsupported
  write(join(t, 'deep/report.docx')); // unsupported
  write(join(t, '.hidden.png')); // ignored
  write(join(t, '~lock.png')); // ignored
  write(join(t, 'copying.png.part')); // ignored
  write(join(t, 'dl.pdf.crdownload')); // ignored
  write(join(t, 'x.tmp')); // ignored
  write(join(t, 'Thumbs.db')); // ignored
  write(join(t, '.git/objects/in-hidden-dir.png')); // ignored with its folder
  symlinkSync('..', join(t, 'deep/loop')); // symlink loop back to the root
  symlinkSync(join(t, 'deep'), join(t, 'deep/er/loop2')); // another loop, absolute
  symlinkSync(join(t, 'nowhere.png'), join(t, 'broken.png')); // dangling: unreadable
  execFileSync('mkfifo', [join(t, 'pipe.png')]); // not a regular file: unsupported, never opened
  return t;
}

describe('ingest', () => {
  it('walks a messy tree: supported files enqueued, the rest counted, symlink loops end', async () => {
    const store = newStore();
    const t = messyTree();
    const r = await ingest(store, [t], { batchSize: 2, maxConcurrentIo: 4 });
    expect(r).toMatchObject({ enqueued: 4, unchanged: 0, unsupported: 3, unreadable: 1, ignored: 7 });
    expect(r.seen).toBe(r.enqueued + r.unchanged + r.alreadyQueued + r.unsupported + r.unreadable);
    expect(r.unreadableFiles).toEqual([{ path: join(t, 'broken.png'), reason: expect.stringMatching(/not found/) }]);
    const doc = await store.getDocumentByPath(join(t, 'deep/er/still/b.PDF'));
    expect(doc).toMatchObject({ kind: 'application/pdf', size: 1, ocrStatus: 'pending' });
    expect((await store.stats()).pending).toBe(4);
    await store.close();
  });

  it('re-ingesting unchanged files adds no job; a changed file gets one unless one is live', async () => {
    const store = newStore();
    const t = join(root, 'reingest');
    const a = write(join(t, 'a.png'), 'one');
    write(join(t, 'b.png'), 'two');
    expect((await ingest(store, [t], { batchSize: 10, maxConcurrentIo: 4 })).enqueued).toBe(2);
    expect(await ingest(store, [t], { batchSize: 10, maxConcurrentIo: 4 })).toMatchObject({ enqueued: 0, unchanged: 2 });

    // Changed while its first job is still pending: no second live job.
    writeFileSync(a, 'one, longer now');
    expect(await ingest(store, [t], { batchSize: 10, maxConcurrentIo: 4 })).toMatchObject({
      enqueued: 0,
      alreadyQueued: 1,
      unchanged: 1,
    });
    expect((await store.stats()).pending).toBe(2);

    // Finish everything, then change a file: exactly one new job.
    for (let job = await store.claim('w'); job; job = await store.claim('w')) {
      await store.complete(job.jobId, 'w', {
        text: 't', pages: [], confidence: null, engine: 'test', languages: 'eng', processingTimeMs: 1, contentHash: null,
      });
    }
    utimesSync(a, new Date(), new Date(Date.now() + 5000));
    expect(await ingest(store, [t], { batchSize: 10, maxConcurrentIo: 4 })).toMatchObject({ enqueued: 1, unchanged: 1 });
    expect(await store.stats()).toMatchObject({ pending: 1, completed: 2 });
    await store.close();
  });

  it('takes a single file as well as folders, and refuses a missing path before enqueueing anything', async () => {
    const store = newStore();
    const f = write(join(root, 'single/one.webp'));
    expect((await ingest(store, [f], { batchSize: 10, maxConcurrentIo: 4 })).enqueued).toBe(1);
    await expect(ingest(store, [join(root, 'single'), join(root, 'no/such/dir')], { batchSize: 10, maxConcurrentIo: 4 })).rejects.toThrow(
      /No such file or folder: .*no\/such\/dir/,
    );
    expect((await store.stats()).pending).toBe(1);
    await store.close();
  });

  it('enqueues 10,000 small files in transactions of QUEUE_BATCH_SIZE', async () => {
    const store = newStore();
    const t = join(root, 'many');
    for (let d = 0; d < 20; d++) {
      mkdirSync(join(t, `d${d}`), { recursive: true });
      for (let i = 0; i < 500; i++) writeFileSync(join(t, `d${d}`, `p${i}.png`), '');
    }
    const batches: number[] = [];
    const counting: JobStore = Object.assign(Object.create(store) as JobStore, {
      enqueueBatch: (files: Parameters<JobStore['enqueueBatch']>[0]) => {
        batches.push(files.length);
        return store.enqueueBatch(files);
      },
    });
    const r = await ingest(counting, [t], { batchSize: 1000, maxConcurrentIo: 50 });
    expect(r).toMatchObject({ seen: 10_000, enqueued: 10_000, unreadable: 0 });
    expect(batches).toHaveLength(10);
    expect(batches.every((b) => b === 1000)).toBe(true);
    expect((await store.stats()).pending).toBe(10_000);
    await store.close();
  });

  it('never merges or loses a file whose name is not valid UTF-8: each is listed with its bytes escaped', async () => {
    const store = newStore();
    const t = join(root, `names${++n}`);
    mkdirSync(t);
    const dir = Buffer.from(t);
    const at = (latin1: string) => Buffer.concat([dir, Buffer.from(`/${latin1}`, 'latin1')]);
    writeFileSync(at('lat1\xe9t\xe9.png'), 'a Latin-1 name');
    writeFileSync(at('bad\xff\xfe.png'), 'invalid bytes');
    writeFileSync(join(t, 'bad\uFFFD\uFFFD.png'), 'a real name with U+FFFD in it'); // what Node made of the one above
    writeFileSync(join(t, 'caf\u00e9.png'), 'valid UTF-8');
    mkdirSync(at('old\xe9'));
    writeFileSync(Buffer.concat([at('old\xe9'), Buffer.from('/inside.png')]), 'under a Latin-1 folder');
    const r = await ingest(store, [t], { batchSize: 10, maxConcurrentIo: 4 });
    expect(r).toMatchObject({ seen: 5, enqueued: 2, unreadable: 3, unsupported: 0 });
    expect(r.unreadableFiles.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: join(t, 'bad\\xff\\xfe.png'), reason: 'the file name is not valid UTF-8 (Quire cannot store it); rename the file to queue it' },
      { path: join(t, 'lat1\\xe9t\\xe9.png'), reason: 'the file name is not valid UTF-8 (Quire cannot store it); rename the file to queue it' },
      { path: join(t, 'old\\xe9'), reason: 'the folder name is not valid UTF-8 (Quire cannot store it): nothing under it was read; rename the folder' },
    ]);
    expect((await store.getDocumentByPath(join(t, 'bad\uFFFD\uFFFD.png')))?.size).toBe(Buffer.byteLength('a real name with U+FFFD in it'));
    expect(await store.getDocumentByPath(join(t, 'caf\u00e9.png'))).not.toBeNull();
    await store.close();
  });
});
