/** The JobStore contract against SQLite: a fresh database file per test. */
import { join } from 'node:path';
import { loadMigrations } from '../src/core/store/migrations';
import { SqliteJobStore } from '../src/core/store/sqlite/store';
import { MIGRATIONS_SQLITE, tempDir } from './helpers';
import { defineStoreContract, type OpenOptions } from './store-contract';
import { queuePolicy } from '../src/core/queue/policy';

const dir = tempDir('quire-contract-');
const migrations = loadMigrations(MIGRATIONS_SQLITE);
let n = 0;

defineStoreContract(async (opts: OpenOptions) => {
  const path = join(dir, `t${n++}.db`);
  const open = async (o: OpenOptions) => new SqliteJobStore({ path, migrations, clock: o.clock, policy: queuePolicy(o) });
  let store = await open(opts);
  return {
    store,
    async sql(query, params = []) {
      const stmt = store.db.prepare(query);
      if (stmt.reader) return stmt.all(...params) as Record<string, unknown>[];
      stmt.run(...params);
      return [];
    },
    async reopen(o) {
      store = await open(o);
      return store;
    },
  };
});
