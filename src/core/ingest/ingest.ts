/**
 * Ingest: walk the given paths and enqueue every supported file, QUEUE_BATCH_SIZE files per
 * transaction. Unchanged files (same path, size and mtime) add no job.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { QuireError } from '../../shared/errors';
import { countsByReason, type NotReadSummary, type SkipReason } from '../../shared/skipped';
import { isTransientStorageFault, type StorageError } from '../store/errors';
import { type LockWait, waitingOutLock } from '../store/wait-lock';
import type { FileToEnqueue, JobStore, NewSkippedFile } from '../store/types';
import { kindForPath } from './formats';
import { canRead, NOT_REGULAR, walk } from './walk';

export interface IngestCounts {
  seen: number;
  enqueued: number;
  unchanged: number;
  alreadyQueued: number;
  /** Unchanged files whose job had been cancelled: added again, so queued again. */
  requeued: number;
  unsupported: number;
  unreadable: number;
  ignored: number;
}

export interface IngestReport extends IngestCounts {
  /** Up to `maxListed` unreadable paths with the reason, so a person can fix them. */
  unreadableFiles: { path: string; reason: string }[];
  /** Every file under the paths that was not read (unsupported and unreadable), counted by reason; the first `maxListed` by path. */
  notRead: NotReadSummary;
}

export interface IngestOptions {
  batchSize: number;
  maxConcurrentIo: number;
  onProgress?: (c: IngestCounts) => void;
  maxListed?: number;
  /**
   * The queue database is locked by another process (a busy fault): ingest waits, retrying with
   * backoff, and says so here; `ok: true` once the lock is released. Other faults stop the ingest.
   */
  onStorageWait?: LockWait['onStorageWait'];
  /** Injected by tests; default setTimeout. */
  sleep?: LockWait['sleep'];
  /** OCR languages for these files' jobs ('deu+eng', already checked); default: the ocr_languages setting. */
  languages?: string;
}

/**
 * The paths a person named must exist, and a file named explicitly must be one Quire reads: that
 * is an error for the command (nothing is added), not a line in a summary. Folders are walked.
 */
export async function checkNamedPaths(paths: readonly string[]): Promise<void> {
  for (const root of paths.map((p) => resolve(p))) {
    let st;
    try {
      st = await stat(root);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new QuireError(
        'path_missing',
        code === 'ENOENT' ? `No such file or folder: ${root}` : `Cannot read ${root}: ${(err as Error).message}`,
      );
    }
    if (st.isDirectory()) continue;
    const why = namedFileProblem(root, st.isFile(), canRead(st));
    if (why) throw new QuireError('file_not_read', `Quire cannot read ${root}: ${why}.`);
  }
}

/** Why a file named on its own is not read, or null. */
export function namedFileProblem(path: string, isFile: boolean, readable: boolean): string | null {
  if (!kindForPath(path)) return unsupportedSentence(path);
  if (!isFile) return NOT_REGULAR;
  if (!readable) return 'permission denied (give it read permission)';
  return null;
}

/** "it is a .txt file, not an image or PDF Quire reads (see What Quire reads in the README)" */
export function unsupportedSentence(path: string): string {
  const ext = /\.[^./\\]+$/.exec(path)?.[0]?.toLowerCase();
  return `${ext ? `it is a ${ext} file` : 'it has no extension'}, not an image or PDF Quire reads (see "What Quire reads" in the README)`;
}

export async function ingest(store: JobStore, paths: readonly string[], opts: IngestOptions): Promise<IngestReport> {
  const roots = paths.map((p) => resolve(p));
  await checkNamedPaths(roots);
  const maxListed = opts.maxListed ?? 100;
  const report: IngestReport = {
    seen: 0,
    enqueued: 0,
    unchanged: 0,
    alreadyQueued: 0,
    requeued: 0,
    unsupported: 0,
    unreadable: 0,
    ignored: 0,
    unreadableFiles: [],
    notRead: { total: 0, byReason: [], files: [] },
  };
  const notRead: NewSkippedFile[] = [];
  const skip = (path: string, message: string, reason: SkipReason) => notRead.push({ path, reason, message });
  let batch: FileToEnqueue[] = [];
  // Batches are written one after another; the walk keeps going meanwhile.
  let writing: Promise<void> = Promise.resolve();
  const failure: { err?: unknown } = {};
  const flush = () => {
    if (batch.length === 0) return;
    const files = batch;
    batch = [];
    writing = writing.then(async () => {
      if (failure.err) return; // after a failed batch, write no more (the walk's end reports it)
      try {
        // Another process holding the write lock is waited out (and said), however long it lasts.
        const r = await waitingOutLock(() => store.enqueueBatch(files), opts);
        report.enqueued += r.enqueued;
        report.unchanged += r.unchanged;
        report.alreadyQueued += r.alreadyQueued;
        report.requeued += r.requeued;
        opts.onProgress?.(report);
      } catch (err) {
        // Kept, not rejected: a rejection nobody awaits until the walk ends would crash the process.
        failure.err = err;
      }
    });
  };
  await walk(roots, opts.maxConcurrentIo, {
    file(f) {
      report.seen++;
      batch.push(opts.languages ? { ...f, languages: opts.languages } : f);
      if (batch.length >= opts.batchSize) flush();
    },
    unsupported(path, why, reason) {
      report.seen++;
      report.unsupported++;
      skip(path, why, reason);
    },
    unreadable(path, why, reason) {
      report.seen++;
      report.unreadable++;
      if (report.unreadableFiles.length < maxListed) report.unreadableFiles.push({ path, reason: why });
      skip(path, why, reason);
    },
    ignored() {
      report.ignored++;
    },
  });
  flush();
  await writing;
  if (failure.err) throw isTransientStorageFault(failure.err) ? storageFaultDuringIngest(failure.err, report.enqueued) : failure.err;
  // The walk saw everything under the roots: their list of files not read is replaced whole, so a
  // file that became readable (or was converted, or deleted) leaves it.
  try {
    await waitingOutLock(() => store.replaceSkipped(roots, notRead), opts);
  } catch (err) {
    throw isTransientStorageFault(err) ? storageFaultDuringIngest(err, report.enqueued) : err;
  }
  report.notRead = listOf(notRead, maxListed);
  return report;
}

/** Counted by reason, largest first; the first `limit` by path. */
function listOf(files: readonly NewSkippedFile[], limit: number): NotReadSummary {
  const counts = new Map<SkipReason, number>();
  for (const f of files) counts.set(f.reason, (counts.get(f.reason) ?? 0) + 1);
  const first = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).slice(0, limit);
  return { ...countsByReason(counts), files: first };
}

/**
 * What a person needs when the queue's storage fails mid-ingest: what happened, that nothing was
 * half-written (each batch is one transaction: it is in the queue whole or not at all), how far
 * it got, and what to do. Running the same command again skips what is already queued.
 */
export function storageFaultDuringIngest(err: StorageError, enqueued: number): QuireError {
  const full = err.kind === 'full';
  const what = full ? `The disk holding the queue database is full (${err.detail}).` : `Cannot write to the queue database (${err.detail}).`;
  const todo = full
    ? 'Free disk space (or choose a data folder on a disk with room, --data-dir), then run the same command again'
    : err.kind === 'busy'
      ? 'Wait until the other process releases the queue database (or stop it), then run the same command again'
      : 'Make the data folder writable (with PostgreSQL: bring the server back), then run the same command again';
  return new QuireError(
    full ? 'disk_full' : 'storage_unavailable',
    `${what} Adding files stopped after ${enqueued} file${enqueued === 1 ? ' was' : 's were'} enqueued. ` +
      'Nothing was half-written: each batch of files is added in one transaction, so the queue holds exactly those. ' +
      `${todo}: files already queued are skipped as unchanged.`,
    { cause: err },
  );
}
