/**
 * Which store a host gets: SQLite in the data folder by default; PostgreSQL when a postgres://
 * URL is given. Callers see a JobStore either way, with the queue policy they hand in.
 */
import { join } from 'node:path';
import type { Clock } from '../clock';
import { DB_FILE, defaultMigrationsDir } from '../paths';
import { loadMigrations } from './migrations';
import { PgJobStore } from './postgres/store';
import { SqliteJobStore } from './sqlite/store';
import type { JobStore, QueuePolicy } from './types';

export interface StoreOptions {
  dataDir: string;
  /** postgres:// or postgresql:// URL; absent means SQLite in dataDir. */
  databaseUrl?: string;
  policy: QueuePolicy;
  clock?: Clock;
  /** SQLite migrations folder (tests); PostgreSQL always uses the packaged ones. */
  migrationsDir?: string;
  /** SQLite: full (every commit flushed, the default) or normal (see the SQLite store). */
  sqliteSynchronous?: 'full' | 'normal';
  /** PostgreSQL: wait for the WAL flush at every commit (see the PostgreSQL store). */
  pgSynchronousCommit?: boolean;
}

export function createStore(opts: StoreOptions): JobStore {
  if (opts.databaseUrl) {
    return new PgJobStore({
      url: opts.databaseUrl,
      migrations: loadMigrations(defaultMigrationsDir('postgres')),
      clock: opts.clock,
      policy: opts.policy,
      synchronousCommit: opts.pgSynchronousCommit ?? false,
    });
  }
  return new SqliteJobStore({
    path: join(opts.dataDir, DB_FILE),
    migrations: loadMigrations(opts.migrationsDir ?? defaultMigrationsDir('sqlite')),
    clock: opts.clock,
    policy: opts.policy,
    synchronous: opts.sqliteSynchronous ?? 'full',
  });
}
