/**
 * The decisions a watcher makes about one file, shared by live events and startup reconciliation:
 * is it new, changed, only touched, renamed from a processed file, or gone? Decisions for one
 * path run one after another (an early `add` and the `change` after it never race), and hashing
 * is limited so a burst of files does not open thousands of streams.
 */
import { stat } from 'node:fs/promises';
import { kindForPath } from '../ingest/formats';
import { createLimiter } from '../ingest/limit';
import type { Logger } from '../logger';
import type { DocumentRow, JobStore } from '../store/types';
import { sha256File } from './hash';
import type { FileFacts } from './stability';

export type FileOutcome =
  | 'enqueued' // new job
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
}

export interface FileSync {
  /** A file exists with these (stable) facts. */
  seen(path: string, facts: FileFacts): Promise<FileOutcome>;
  /** These files are gone: cancel their pending jobs and mark their documents missing. */
  gone(paths: readonly string[]): Promise<number>;
}

export interface FileSyncOptions {
  store: JobStore;
  logger: Logger;
  onFile?: (e: FileEvent) => void;
  maxConcurrentHashes?: number;
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
  const chains = new Map<string, Promise<unknown>>();

  /** Runs `task` after every earlier task for the same path. */
  const serial = <T>(path: string, task: () => Promise<T>): Promise<T> => {
    const prev = chains.get(path) ?? Promise.resolve();
    const next = prev.then(task, task);
    chains.set(path, next);
    void next.finally(() => {
      if (chains.get(path) === next) chains.delete(path);
    }).catch(() => {});
    return next;
  };

  /** A completed document with this content whose file is gone: the new file is that file moved. */
  const moveFrom = async (path: string, facts: FileFacts, hash: string): Promise<boolean> => {
    for (const c of await store.findDocumentsByContentHash(hash)) {
      if (c.path === path || c.ocrStatus !== 'completed') continue;
      // Not yet marked missing: the unlink may still be on its way, so look at the disk.
      if (!c.sourceMissing && (await exists(c.path))) continue; // a copy: both files live on
      if (await store.moveDocument(c.id, path, facts.size, facts.mtimeMs)) {
        logger.info('file moved; kept its result', { from: c.path, to: path });
        return true;
      }
    }
    return false;
  };

  /**
   * The hash together with the size and mtime it belongs to: a file that changed while being read
   * is read again, so a hash is never recorded against the facts of an earlier version.
   */
  const hashStable = async (path: string, facts: FileFacts): Promise<{ hash: string; facts: FileFacts } | null> => {
    for (let round = 0; ; round++) {
      try {
        const hash = await hashLimit(() => sha256File(path));
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

  const decide = async (path: string, facts: FileFacts): Promise<FileOutcome> => {
    const kind = kindForPath(path);
    if (!kind) return 'unsupported';
    const doc = await store.getDocumentByPath(path);
    const mtime = Math.trunc(facts.mtimeMs);
    if (doc && doc.size === facts.size && doc.mtimeMs === mtime) {
      if (!doc.sourceMissing) return 'unchanged';
      await store.updateDocumentFile(path, facts.size, facts.mtimeMs, null);
      if (cancelledBecauseMissing(doc)) await store.requeueDocuments([path]);
      return 'restored';
    }
    // Only new or changed files are hashed: an unchanged tree costs one stat per file.
    const hashed = await hashStable(path, facts);
    if (!hashed) return 'vanished';
    const { hash } = hashed;
    facts = hashed.facts;
    if (doc && doc.contentHash === hash && !cancelledBecauseMissing(doc)) {
      await store.updateDocumentFile(path, facts.size, facts.mtimeMs, hash);
      return doc.sourceMissing ? 'restored' : 'touched';
    }
    if (!doc && (await moveFrom(path, facts, hash))) return 'moved';
    const r = await store.enqueueBatch([{ path, size: facts.size, mtimeMs: facts.mtimeMs, kind }]);
    await store.updateDocumentFile(path, facts.size, facts.mtimeMs, hash);
    return r.outcomes[0] === 'enqueued' ? 'enqueued' : r.outcomes[0] === 'already_queued' ? 'already_queued' : 'unchanged';
  };

  return {
    seen(path, facts) {
      return serial(path, async () => {
        const outcome = await decide(path, facts);
        opts.onFile?.({ path, outcome });
        return outcome;
      });
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
