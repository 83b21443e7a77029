/**
 * Which JobStore a host gets: SQLite in the data folder by default; PostgreSQL when a
 * postgres:// URL is given (--database-url, or env DATABASE_URL). Callers see a JobStore either way.
 */
import { join } from 'node:path';
import type { Clock } from '../clock';
import { QuireError } from '../../shared/errors';
import { DB_FILE, defaultMigrationsDir } from '../paths';
import { loadMigrations } from './migrations';
import { PgJobStore } from './postgres/store';
import { SqliteJobStore } from './sqlite/store';
import type { JobStore } from './types';

export interface StoreOptions {
  dataDir: string;
  /** postgres:// or postgresql:// URL; absent means SQLite in dataDir. */
  databaseUrl?: string;
  clock?: Clock;
  /** SQLite migrations folder (tests); PostgreSQL always uses the packaged ones. */
  migrationsDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Base retry delay (default BACKOFF_BASE_MS); tests shorten it. */
  backoffBaseMs?: number;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * The URL that selects PostgreSQL: the flag if given (it must be a postgres:// URL), else env
 * DATABASE_URL when it is a postgres:// URL. Other DATABASE_URL values belong to other programs
 * sharing the environment and are ignored.
 */
export function resolveDatabaseUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flag !== undefined && flag !== '') {
    if (!isPostgresUrl(flag)) {
      throw new QuireError('usage', `--database-url must be a PostgreSQL URL (postgres://user@host:port/database), not "${flag}".`);
    }
    return flag;
  }
  const fromEnv = env.DATABASE_URL;
  return fromEnv && isPostgresUrl(fromEnv) ? fromEnv : undefined;
}

export function createStore(opts: StoreOptions): JobStore {
  if (opts.databaseUrl) {
    return new PgJobStore({
      url: opts.databaseUrl,
      migrations: loadMigrations(defaultMigrationsDir('postgres')),
      clock: opts.clock,
      backoffBaseMs: opts.backoffBaseMs,
      // Per-commit WAL flushes only on request: see PgStoreOptions.synchronousCommit.
      synchronousCommit: /^(on|true|1)$/i.test((opts.env ?? process.env).QUIRE_PG_SYNCHRONOUS_COMMIT ?? ''),
    });
  }
  return new SqliteJobStore({
    path: join(opts.dataDir, DB_FILE),
    migrations: loadMigrations(opts.migrationsDir ?? defaultMigrationsDir('sqlite')),
    clock: opts.clock,
    backoffBaseMs: opts.backoffBaseMs,
    synchronous: sqliteSynchronous(opts.env ?? process.env),
  });
}

/** QUIRE_SQLITE_SYNCHRONOUS: full (default: every commit flushed) or normal (flushed at checkpoints). */
export function sqliteSynchronous(env: NodeJS.ProcessEnv): 'normal' | 'full' {
  const raw = (env.QUIRE_SQLITE_SYNCHRONOUS ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'full') return 'full';
  if (raw === 'normal') return 'normal';
  throw new QuireError('usage', `QUIRE_SQLITE_SYNCHRONOUS must be "normal" or "full", not "${env.QUIRE_SQLITE_SYNCHRONOUS}".`);
}
