/**
 * PostgreSQL migration runner, the twin of sqlite/migrate.ts: each pending migration is applied
 * together with its bookkeeping row in one transaction (PostgreSQL DDL is transactional), and a
 * database newer than this code is refused. A session advisory lock makes hosts that start at
 * the same moment take turns: the second waits, then finds nothing left to apply.
 */
import type { ClientBase } from 'pg';
import { QuireError } from '../../../shared/errors';
import { type Migration, tooNewMessage } from '../migrations';

/** Arbitrary constant shared by every Quire host: the advisory lock id for migrations. */
export const MIGRATION_LOCK_ID = 0x51554952; // "QUIR"

export async function migratePostgres(
  client: ClientBase,
  migrations: readonly Migration[],
  where: string,
  now: number,
): Promise<number> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const applied = (
      await client.query<{ id: number; name: string; checksum: string }>(
        'SELECT id, name, checksum FROM schema_migrations ORDER BY id',
      )
    ).rows;
    const latest = migrations.length;
    const dbVersion = applied.length ? applied[applied.length - 1]!.id : 0;
    if (dbVersion > latest) throw new QuireError('database_too_new', tooNewMessage(dbVersion, latest, where));
    for (const row of applied) {
      const known = migrations[row.id - 1];
      if (known && known.checksum !== row.checksum) {
        // A shipped migration was edited: the schema in the database may not be what the code expects.
        throw new QuireError(
          'migration_changed',
          `Schema migration ${row.id} (${row.name}) differs from the one this database was built with. ` +
            'Shipped migrations must never change; restore it and add a new migration instead.',
        );
      }
    }
    let ran = 0;
    for (const mig of migrations.slice(dbVersion)) {
      await client.query('BEGIN');
      try {
        await client.query(mig.sql);
        await client.query('INSERT INTO schema_migrations (id, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [
          mig.id,
          mig.name,
          mig.checksum,
          now,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw new QuireError(
          'migration_failed',
          `Applying schema migration ${mig.id} (${mig.name}) to ${where} failed: ${(err as Error).message}`,
          { cause: err },
        );
      }
      ran++;
    }
    return ran;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
  }
}
