/** Opening the SQLite queue database: write-ahead logging, durability, migrations, and the sentences for what can go wrong. */
import Database from 'better-sqlite3';
import { QuireError } from '../../../shared/errors';
import type { Migration } from '../migrations';
import { migrateSqlite } from './migrate';

/** Turn driver errors at open time into sentences a person can act on. */
export function describeOpenError(err: unknown, path: string): QuireError {
  const code = (err as { code?: string }).code ?? '';
  if (err instanceof QuireError) return err;
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new QuireError(
      'database_corrupt',
      `The database at ${path} is damaged or is not a Quire database. Move it aside and start a fresh queue with \`quire repair --move-aside\` (the old file is kept as ${path}.broken-<time>).`,
      { cause: err },
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') {
    return new QuireError(
      'database_readonly',
      `Cannot write to the database at ${path}: the file or its folder is read-only. Check their permissions, or choose another data folder with --data-dir.`,
      { cause: err },
    );
  }
  return new QuireError('database_error', `Cannot open the database at ${path}: ${(err as Error).message}.`, {
    cause: err,
  });
}

export function openSqliteDatabase(o: { path: string; migrations: readonly Migration[]; busyTimeoutMs?: number; synchronous?: 'normal' | 'full'; now: number }): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(o.path, { timeout: o.busyTimeoutMs ?? 10_000 });
    // WAL: readers never block the writer. FULL: each commit flushes the log (durable across
    // power cuts and failing disks); NORMAL: durable across process crashes only.
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal') {
      throw new QuireError('database_error', `Could not switch ${o.path} to write-ahead logging (got ${mode}).`);
    }
    db.pragma(`synchronous = ${o.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    // 64 MB page cache: the claim and id indexes of a million-job queue stay in memory.
    db.pragma('cache_size = -65536');
    db.pragma('foreign_keys = ON');
    migrateSqlite(db, o.migrations, o.path, o.now);
    return db;
  } catch (err) {
    db?.close();
    throw describeOpenError(err, o.path);
  }
}
