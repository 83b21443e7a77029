/**
 * The decisions a watcher makes about one file, shared by live events and startup reconciliation:
 * is it new, changed, only touched, renamed from a processed file, or gone? Decisions for one
 * path run one after another (an early `add` and the `change` after it never race).
 *
 * Hashing is kept to where it can change a decision. The worker records every processed file's
 * sha256 (documents.content_hash); the watcher hashes
 *  - a changed file whose document has a hash: same hash means only touched, no new job;
 *  - a new file of the same size as a file just deleted or a document marked missing: same hash
 *    as a processed document whose file is gone means it moved, and keeps its result.
 * An unchanged file costs one stat; a plain new file costs no read at all.
 */
import { stat } from 'node:fs/promises';
import { kindForPath } from '../ingest/formats';
import { createLimiter } from '../ingest/limit';
import type { Logger } from '../logger';
import type { DocumentRow } from '../../shared/jobs';
import type { EnqueueOutcome, FileToEnqueue, JobStore } from '../store/types';
import { createBatcher } from './batcher';
import { sha256File } from '../content-hash';
import type { FileFacts } from './stability';

export type FileOutcome =
  | 'enqueued' // new job
  | 'requeued' // unchanged, but its job had been cancelled: queued again (the rescan adds it again)
  | 'already_queued' // changed while its job was still pending or processing
  | 'unchanged' // same size and mtime as the document
  | 'touched' // size or mtime changed but the content hash did not: no new job
  | 'moved' // a processed file reappeared under a new path: result kept, no new OCR
  | 'restored' // a file marked missing is back
  | 'unsupported'
  | 'vanished'; // deleted before it could be read

export interface FileEvent {
  path: string;
  outcome: FileOutcome;
  /** For 'moved': the path the file had before. */
  from?: string;
}

export interface FileSync {
  /** A file exists with these (stable) facts. */
  seen(path: string, facts: FileFacts): Promise<FileOutcome>;
  /** A watcher saw these paths disappear (not yet settled): remember their sizes for rename pairing. */
  unlinked(paths: readonly string[]): Promise<void>;
  /** These files are gone: cancel their pending jobs and mark their documents missing. */
  gone(paths: readonly string[]): Promise<number>;
}

export interface FileSyncOptions {
  store: JobStore;
  logger: Logger;
  onFile?: (e: FileEvent) => void;
  maxConcurrentHashes?: number;
  /** How long a deleted file's size is remembered for pairing with an add (a rename). */
  unlinkMemoryMs?: number;
  /** The OCR languages of the watched folder holding `path`; undefined: the ocr_languages setting. */
  languagesFor?: (path: string) => string | undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** A deleted file's job was cancelled for that reason: when the file returns it needs a job again. */
function cancelledBecauseMissing(doc: DocumentRow): boolean {
  return doc.ocrStatus === 'cancelled' && doc.ocrErrorKind === 'file_missing';
}

export function createFileSync(opts: FileSyncOptions): FileSync {
  const { store, logger } = opts;
  const hashLimit = createLimiter(opts.maxConcurrentHashes ?? 8);
  const memoryMs = opts.unlinkMemoryMs ?? 30_000;
  const chains = new Map<string, Promise<unknown>>();
  /** Sizes of processed files seen deleted lately, with when each memory expires. */
  const recentlyUnlinked = new Map<number, number>();
  // Enqueue in batches: one transaction for every decision that finishes in the same moment.
  const enqueue = createBatcher(async (files: FileToEnqueue[]): Promise<EnqueueOutcome[]> => {
    const { outcomes } = await store.enqueueBatch(files);
    // A file queued now (its permission fixed, say) is no longer one Quire does not read.
    const queued = files.filter((_, i) => outcomes[i] === 'enqueued').map((f) => f.path);
    // The jobs are committed: a failure to tidy the list is logged, and the next walk tidies it.
    if (queued.length) await store.replaceSkipped(queued, []).catch((err: unknown) => logger.warn('could not update the list of files not read', { error: String(err) }));
    return outcomes;
  });

  /** Runs `task` after every earlier task for the same path. */
  const serial = <T>(path: string, task: () => Promise<T>): Promise<T> => {
    const prev = chains.get(path) ?? Promise.resolve();
    const next = prev.then(task, task);
    chains.set(path, next);
    void next
      .finally(() => {
        if (chains.get(path) === next) chains.delete(path);
      })
      .catch(() => {});
    return next;
  };

  /**
   * The hash together with the size and mtime it belongs to: a file that changed while being read
   * is read again, so a hash is never compared against the facts of another version.
   */
  const hashStable = async (path: string, facts: FileFacts): Promise<{ hash: string; facts: FileFacts } | null> => {
    for (let round = 0; ; round++) {
      try {
        const hash = await hashLimit(() => sha256File(path, facts.size));
        const st = await stat(path);
        const after = { size: st.size, mtimeMs: st.mtimeMs };
        if ((after.size === facts.size && after.mtimeMs === facts.mtimeMs) || round >= 3) return { hash, facts: after };
        facts = after;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    }
  };

  const mightBeMoved = async (size: number): Promise<boolean> => {
    const until = recentlyUnlinked.get(size);
    if (until !== undefined) {
      if (until > Date.now()) return true;
      recentlyUnlinked.delete(size);
    }
    return store.hasMissingDocumentOfSize(size);
  };

  /** A completed document with this content whose file is gone: the new file is that file moved. Returns the old path. */
  const moveFrom = async (path: string, facts: FileFacts, hash: string): Promise<string | null> => {
    for (const c of await store.findDocumentsByContentHash(hash)) {
      if (c.path === path || c.ocrStatus !== 'completed') continue;
      // Not yet marked missing: the unlink may still be settling, so look at the disk.
      if (!c.sourceMissing && (await exists(c.path))) continue; // a copy: both files live on
      if (await store.moveDocument(c.id, path, facts.size, facts.mtimeMs)) {
        logger.info('file moved; kept its result', { from: c.path, to: path });
        return c.path;
      }
    }
    return null;
  };

  const toOutcome = (o: EnqueueOutcome): FileOutcome => o;

  const decide = async (path: string, facts: FileFacts, moved: { from?: string }): Promise<FileOutcome> => {
    const kind = kindForPath(path);
    if (!kind) return 'unsupported';
    const doc = await store.getDocumentByPath(path);
    const mtime = Math.trunc(facts.mtimeMs);
    const languages = opts.languagesFor?.(path);
    const file = (): FileToEnqueue => ({ path, size: facts.size, mtimeMs: facts.mtimeMs, kind, ...(languages ? { languages } : {}) });
    if (doc && doc.size === facts.size && doc.mtimeMs === mtime) {
      // Cancelled by a person, and still in the watched folder: the folder wants it read.
      if (!doc.sourceMissing) return doc.ocrStatus === 'cancelled' ? toOutcome(await enqueue(file())) : 'unchanged';
      await store.updateDocumentFiles([{ ...file(), contentHash: null }]);
      if (cancelledBecauseMissing(doc)) await store.requeueDocuments([path]);
      return 'restored';
    }
    if (doc) {
      // Without a recorded hash there is nothing to compare: the changed file needs OCR.
      if (doc.contentHash === null || cancelledBecauseMissing(doc)) return toOutcome(await enqueue(file()));
      const hashed = await hashStable(path, facts);
      if (!hashed) return 'vanished';
      facts = hashed.facts;
      if (hashed.hash === doc.contentHash) {
        await store.updateDocumentFiles([{ ...file(), contentHash: hashed.hash }]);
        return doc.sourceMissing ? 'restored' : 'touched';
      }
      return toOutcome(await enqueue(file()));
    }
    if (await mightBeMoved(facts.size)) {
      const hashed = await hashStable(path, facts);
      if (!hashed) return 'vanished';
      facts = hashed.facts;
      const from = await moveFrom(path, facts, hashed.hash);
      if (from !== null) {
        moved.from = from;
        return 'moved';
      }
    }
    return toOutcome(await enqueue(file()));
  };

  return {
    seen(path, facts) {
      return serial(path, async () => {
        const moved: { from?: string } = {};
        const outcome = await decide(path, facts, moved);
        opts.onFile?.({ path, outcome, ...(moved.from ? { from: moved.from } : {}) });
        return outcome;
      });
    },
    async unlinked(paths) {
      const until = Date.now() + memoryMs;
      for (const path of paths) {
        const doc = await store.getDocumentByPath(path);
        if (doc?.ocrStatus === 'completed') recentlyUnlinked.set(doc.size, until);
      }
    },
    async gone(paths) {
      if (paths.length === 0) return 0;
      await store.cancelPendingForPaths(paths);
      const n = await store.setSourceMissing(paths, true);
      for (const path of paths) logger.debug('file gone', { path });
      return n;
    },
  };
}
