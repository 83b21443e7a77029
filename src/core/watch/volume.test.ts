/**
 * Volume: a burst of 1,000 files, and 1,000 files copied in slowly in chunks whose pauses outlast
 * the stability threshold (so chokidar reports some files early and again when they grow).
 * Each must yield exactly one job per file.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAST, freshDir, openStore, sleep, waitFor } from '../../../test/watch-support';
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
  handle = startWatching(store, { timing: FAST, refreshMs: 60_000 });
  await handle.ready;
});

afterEach(async () => {
  await handle?.stop();
  await store.close();
  tmp.cleanup();
});

const count = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;
const jobs = () => count('SELECT COUNT(*) AS n FROM ocr_queue');

describe('many files', () => {
  it('a burst of 1,000 files yields exactly 1,000 jobs', async () => {
    for (let d = 0; d < 10; d++) {
      mkdirSync(join(root, `box${d}`));
      for (let i = 0; i < 100; i++) writeFileSync(join(root, `box${d}`, `page-${i}.png`), `d${d} i${i}`);
    }
    await waitFor('1,000 jobs', () => jobs() >= 1000, 90_000);
    await sleep(500); // anything late would show up here
    expect(jobs()).toBe(1000);
    expect(count('SELECT COUNT(*) AS n FROM documents')).toBe(1000);
    expect((await store.stats()).pending).toBe(1000);
  }, 120_000);

  it('1,000 files copied slowly in chunks yield exactly 1,000 jobs, each with the final size', async () => {
    const half = 'x'.repeat(2048);
    for (let group = 0; group < 10; group++) {
      const fds = Array.from({ length: 100 }, (_, i) => openSync(join(root, `g${group}-${i}.tif`), 'w'));
      for (const fd of fds) writeSync(fd, half);
      // Longer than the stability threshold: chokidar may report these half-written files.
      await sleep(FAST.stabilityThresholdMs + 100);
      for (const fd of fds) {
        writeSync(fd, half);
        closeSync(fd);
      }
    }
    await waitFor('every document at its final size', () => count('SELECT COUNT(*) AS n FROM documents WHERE size = 4096') === 1000, 90_000);
    await sleep(500);
    expect(jobs()).toBe(1000);
    expect(count('SELECT COUNT(*) AS n FROM documents')).toBe(1000);
    expect(count(`SELECT COUNT(*) AS n FROM ocr_queue WHERE status = 'pending'`)).toBe(1000);
  }, 120_000);
});
