/**
 * The one storage error the rest of Quire sees. Each adapter turns its driver's errors into a
 * StorageError at its boundary (guardStore below), so no driver code or driver error code leaves
 * src/core/store: the pool, ingest and the CLI decide on `kind` alone.
 *
 * Kinds, and what a host does about them:
 *   full         the disk (or PostgreSQL's) is full: wait and retry, keep results
 *   read_only    the database cannot be written (read-only file system, immutable file,
 *                read-only standby): wait and retry, keep results
 *   unavailable  the PostgreSQL server is unreachable or restarting: wait, reconnect, keep results
 *   busy         another process holds the write lock past the busy timeout: wait and retry
 *   damaged      the database file itself is damaged: stop starting work, tell the person to repair
 * Anything else a driver throws (a constraint violation, a bug) stays a plain error.
 */

export type StorageFaultKind = 'full' | 'read_only' | 'unavailable' | 'busy' | 'damaged';

export class StorageError extends Error {
  readonly kind: StorageFaultKind;
  /** The driver's own words (code and message), for the person and the log: never to branch on. */
  readonly detail: string;
  constructor(kind: StorageFaultKind, detail: string, options?: { cause?: unknown }) {
    super(`${KIND_WORDS[kind]} (${detail})`, options);
    this.name = 'StorageError';
    this.kind = kind;
    this.detail = detail;
  }
}

const KIND_WORDS: Record<StorageFaultKind, string> = {
  full: 'The disk under the queue database is full',
  read_only: 'The queue database cannot be written',
  unavailable: 'The PostgreSQL server cannot be reached',
  busy: 'Another process holds the queue database locked',
  damaged: 'The queue database is damaged',
};

/** A fault outside Quire that goes away by itself or with the person's help: wait and retry. */
export function isTransientStorageFault(err: unknown): err is StorageError {
  return err instanceof StorageError && err.kind !== 'damaged';
}

export function isDamagedStorage(err: unknown): err is StorageError {
  return err instanceof StorageError && err.kind === 'damaged';
}

/** The sentence a host prints (or the UI shows) while a transient fault lasts. */
export function waitingMessage(err: StorageError, retryMs: number, capMs: number): string {
  const every = `${Math.round(retryMs / 1000)} s, doubling up to ${Math.round(capMs / 1000)} s`;
  switch (err.kind) {
    case 'unavailable':
      return (
        `Disconnected from the PostgreSQL server (${err.detail}). Running jobs keep going and keep their results; ` +
        `no new jobs are claimed. Reconnecting with backoff (${every}).`
      );
    case 'busy':
      return (
        `The queue database is locked by another process (${err.detail}). Running jobs keep their results; ` +
        `no new jobs are claimed until the lock is released. Retrying with backoff (${every}).`
      );
    default:
      return (
        `Cannot write to the queue database (${err.detail}). ` +
        `Processing waits and retries every ${Math.round(retryMs / 1000)} s or more: free disk space, or make the data folder writable, and it resumes by itself.`
      );
  }
}

/** The sentence once the fault has passed. */
export function recoveredMessage(kind: StorageFaultKind): string {
  if (kind === 'unavailable') return 'Reconnected to the PostgreSQL server; processing resumed.';
  if (kind === 'busy') return 'The queue database lock was released; processing resumed.';
  return 'The queue database is writable again; processing resumed.';
}

/** What to tell a person when a query finds the database damaged while Quire runs. */
export function damagedMessage(err: StorageError): string {
  return (
    `The queue database is damaged (${err.detail}); no new files are started. ` +
    'Stop Quire, then run `quire repair` to check the file; `quire repair --move-aside` keeps it (renamed) and starts an empty queue, and adding the folders again queues their files anew.'
  );
}

/**
 * Wrap every method of a store (or of one of its role objects) so driver errors leave it as
 * StorageError (when `classify` recognises them) or unchanged. Synchronous helper methods are
 * left alone: only methods returning promises are part of the seam.
 */
export function guardStore<T extends object>(target: T, classify: (err: unknown) => StorageError | null): T {
  const convert = (err: unknown): unknown => (err instanceof StorageError ? err : (classify(err) ?? err));
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return function (this: unknown, ...args: unknown[]) {
        let out: unknown;
        try {
          out = (value as (...a: unknown[]) => unknown).apply(obj, args);
        } catch (err) {
          throw convert(err);
        }
        return out instanceof Promise ? out.catch((err: unknown) => Promise.reject(convert(err))) : out;
      };
    },
  });
}
