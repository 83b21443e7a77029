/**
 * SQLite migration runner: each pending migration is applied together with its bookkeeping row
 * in one transaction, so a crash leaves the schema either before or after a migration, never
 * between. A database newer than this code is refused rather than half-understood.
 */
import type Database from 'better-sqlite3';
import { QuireError } from '../../../shared/errors';
import { type Migration, tooNewMessage } from '../migrations';

export function migrateSqlite(db: Database.Database, migrations: readonly Migration[], where: string, now: number): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const applied = db.prepare('SELECT id, name, checksum FROM schema_migrations ORDER BY id').all() as {
    id: number;
    name: string;
    checksum: string;
  }[];
  const latest = migrations.length;
  const dbVersion = applied.length ? applied[applied.length - 1]!.id : 0;
  if (dbVersion > latest) throw new QuireError('database_too_new', tooNewMessage(dbVersion, latest, where));
  for (const row of applied) {
    const known = migrations[row.id - 1];
    if (known && known.checksum !== row.checksum) {
      // A shipped migration was edited: the schema on disk may not be what the code expects.
      throw new QuireError(
        'migration_changed',
        `Schema migration ${row.id} (${row.name}) differs from the one this database was built with. ` +
          'Shipped migrations must never change; restore it and add a new migration instead.',
      );
    }
  }
  const record = db.prepare('INSERT INTO schema_migrations (id, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  let ran = 0;
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?');
  for (const mig of migrations.slice(dbVersion)) {
    db.transaction(() => {
      // Another process opening a fresh database at the same moment may have applied it while
      // we waited for the write lock: check again under the lock.
      if (isApplied.get(mig.id)) return;
      db.exec(mig.sql);
      record.run(mig.id, mig.name, mig.checksum, now);
      ran++;
    }).immediate();
  }
  return ran;
}
