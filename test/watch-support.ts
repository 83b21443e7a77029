/** Helpers for the watch tests: a real SQLite store in a temp folder, and waiting on conditions. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMigrationsDir } from '../src/core/paths';
import { loadMigrations } from '../src/core/store/migrations';
import { SqliteJobStore } from '../src/core/store/sqlite/store';
import type { JobStore } from '../src/core/store/types';
import type { OcrResult } from '../src/shared/results';
import { queuePolicy } from '../src/core/queue/policy';

export function freshDir(prefix = 'quire-watch-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function openStore(dataDir: string): SqliteJobStore {
  return new SqliteJobStore({ path: join(dataDir, 'quire.db'), migrations: loadMigrations(defaultMigrationsDir('sqlite')), policy: queuePolicy() });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits until `check` returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`Timed out waiting for: ${what}`);
    await sleep(25);
  }
}

/** Timings small enough for tests; the defaults are for people. */
export const FAST = {
  stabilityThresholdMs: 150,
  writePollMs: 30,
  pollingIntervalMs: 100,
  availabilityCheckMs: 100,
  deleteSettleMs: 150,
};

/** An OCR result as the worker pool records it, including the sha256 of the file it read. */
export function fakeResult(text: string, path?: string): OcrResult {
  let contentHash: string | null = null;
  try {
    if (path) contentHash = createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    // the file is gone: no hash, as a worker would fail to read it
  }
  return {
    text,
    pages: [{ pageNo: 1, text, confidence: 90, source: 'ocr' }],
    confidence: 90,
    engine: 'fake',
    languages: 'eng',
    processingTimeMs: 3,
    contentHash,
  };
}

/** Plays the worker: completes every claimable job; `text` gives each document's text. */
export async function completeAll(store: JobStore, text: (path: string) => string = (p) => `text of ${p}`): Promise<number> {
  let n = 0;
  for (let job = await store.claim('test-worker'); job; job = await store.claim('test-worker')) {
    await store.complete(job.jobId, 'test-worker', fakeResult(text(job.path), job.path));
    n++;
  }
  return n;
}
