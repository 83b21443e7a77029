/**
 * Ingest: walk the given paths and enqueue every supported file, QUEUE_BATCH_SIZE files per
 * transaction. Unchanged files (same path, size and mtime) add no job.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { QuireError } from '../errors';
import type { FileToEnqueue, JobStore } from '../store/types';
import { walk } from './walk';

export interface IngestCounts {
  seen: number;
  enqueued: number;
  unchanged: number;
  alreadyQueued: number;
  unsupported: number;
  unreadable: number;
  ignored: number;
}

export interface IngestReport extends IngestCounts {
  /** Up to `maxListed` unreadable paths with the reason, so a person can fix them. */
  unreadableFiles: { path: string; reason: string }[];
}

export interface IngestOptions {
  batchSize: number;
  maxConcurrentIo: number;
  onProgress?: (c: IngestCounts) => void;
  maxListed?: number;
}

export async function ingest(store: JobStore, paths: readonly string[], opts: IngestOptions): Promise<IngestReport> {
  const roots = paths.map((p) => resolve(p));
  for (const root of roots) {
    try {
      await stat(root);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new QuireError(
        'path_missing',
        code === 'ENOENT' ? `No such file or folder: ${root}` : `Cannot read ${root}: ${(err as Error).message}`,
      );
    }
  }
  const maxListed = opts.maxListed ?? 100;
  const report: IngestReport = {
    seen: 0,
    enqueued: 0,
    unchanged: 0,
    alreadyQueued: 0,
    unsupported: 0,
    unreadable: 0,
    ignored: 0,
    unreadableFiles: [],
  };
  let batch: FileToEnqueue[] = [];
  // Batches are written one after another; the walk keeps going meanwhile.
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    if (batch.length === 0) return;
    const files = batch;
    batch = [];
    writing = writing.then(async () => {
      const r = await store.enqueueBatch(files);
      report.enqueued += r.enqueued;
      report.unchanged += r.unchanged;
      report.alreadyQueued += r.alreadyQueued;
      opts.onProgress?.(report);
    });
  };
  await walk(roots, opts.maxConcurrentIo, {
    file(f) {
      report.seen++;
      batch.push(f);
      if (batch.length >= opts.batchSize) flush();
    },
    unsupported() {
      report.seen++;
      report.unsupported++;
    },
    unreadable(path, reason) {
      report.seen++;
      report.unreadable++;
      if (report.unreadableFiles.length < maxListed) report.unreadableFiles.push({ path, reason });
    },
    ignored() {
      report.ignored++;
    },
  });
  flush();
  await writing;
  return report;
}
