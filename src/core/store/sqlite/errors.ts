/** better-sqlite3's errors, by SQLite result code, as the storage kinds the rest of Quire sees. */
import { StorageError } from '../errors';

export function classifySqliteError(err: unknown): StorageError | null {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = String(e?.code ?? '');
  const detail = `${code || 'error'}: ${typeof e?.message === 'string' ? e.message : String(err)}`;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return new StorageError('full', detail, { cause: err });
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return new StorageError('damaged', detail, { cause: err });
  // Another connection holds the write lock past the busy timeout (a frozen host mid-transaction,
  // a huge requeue): nothing is wrong with the file, so the work waits for the lock.
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new StorageError('busy', detail, { cause: err });
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN' || code === 'EROFS') {
    return new StorageError('read_only', detail, { cause: err });
  }
  return null;
}
