/**
 * Faults of the storage under the queue (disk full, read-only, I/O error, PostgreSQL down or
 * full): outside Quire's control, so callers wait them out (the pool) or explain them (ingest).
 */
import { isPgUnavailable } from './postgres/connection';

/** The database cannot be written for a reason outside Quire: disk full, I/O error, read-only. */
export function isStorageFault(err: unknown): boolean {
  const code = String((err as { code?: unknown })?.code ?? '');
  return (
    code === 'SQLITE_FULL' ||
    code.startsWith('SQLITE_IOERR') ||
    code.startsWith('SQLITE_READONLY') ||
    code === 'SQLITE_CANTOPEN' ||
    code === 'ENOSPC' ||
    code === 'EROFS' ||
    isPgUnavailable(err) // the queue is on a PostgreSQL server that is down or full
  );
}

/** Out of space: SQLite's full disk, the OS's ENOSPC, PostgreSQL's disk_full (53100). */
export function isDiskFull(err: unknown): boolean {
  const code = String((err as { code?: unknown })?.code ?? '');
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === '53100';
}

/** The database file itself is damaged (a bad page, not a full or read-only disk). */
export function isDatabaseDamaged(err: unknown): boolean {
  const code = String((err as { code?: unknown })?.code ?? '');
  return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
}

/** What to tell a person when a query finds the database damaged while Quire runs. */
export function damagedDatabaseMessage(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return (
    `The queue database is damaged (${e.code ?? 'error'}: ${e.message ?? String(err)}); no new files are started. ` +
    'Stop Quire, then run `quire repair` to check the file; `quire repair --move-aside` keeps it (renamed) and starts an empty queue, and adding the folders again queues their files anew.'
  )
}
