/** Opening both ends for `quire migrate-store`: the data folder's SQLite queue and a PostgreSQL URL. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { QuireError } from '../../shared/errors';
import { DB_FILE, defaultMigrationsDir } from '../paths';
import { copySqliteToPostgres, type CopyOptions, type CopyReport } from './copy';
import { isPostgresUrl } from '../config/environment';
import { loadMigrations } from './migrations';
import { PgJobStore } from './postgres/store';
import { SqliteJobStore } from './sqlite/store';
import type { JobStore, QueuePolicy } from './types';

export interface MigrateStoreOptions extends CopyOptions {
  dataDir: string;
  to: string;
  /** The host's store, reused when it is the data folder's SQLite queue. */
  current?: JobStore;
  /** The queue rules the opened stores run with (nothing is enqueued while copying). */
  policy: QueuePolicy;
}

export async function migrateStore(opts: MigrateStoreOptions): Promise<CopyReport> {
  if (!isPostgresUrl(opts.to)) {
    throw new QuireError('usage', `--to must be a PostgreSQL URL (postgres://user@host:port/database), not "${opts.to}".`);
  }
  const path = join(opts.dataDir, DB_FILE);
  let source: SqliteJobStore;
  let ownSource = false;
  if (opts.current instanceof SqliteJobStore && opts.current.db.name === path) {
    source = opts.current;
  } else {
    if (!existsSync(path)) throw new QuireError('not_found', `There is no SQLite queue at ${path} to copy.`);
    source = new SqliteJobStore({ path, migrations: loadMigrations(defaultMigrationsDir('sqlite')), policy: opts.policy });
    ownSource = true;
  }
  try {
    const target = await PgJobStore.open({ url: opts.to, migrations: loadMigrations(defaultMigrationsDir('postgres')), poolSize: 1, policy: opts.policy });
    try {
      return await copySqliteToPostgres(source.db, target.pool, target.where, opts);
    } finally {
      await target.close();
    }
  } finally {
    if (ownSource) await source.close();
  }
}
