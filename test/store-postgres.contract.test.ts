/** The JobStore contract against PostgreSQL: a fresh database per test on the test server. */
import { describe, it } from 'vitest';
import { loadMigrations } from '../src/core/store/migrations';
import { PgJobStore } from '../src/core/store/postgres/store';
import { createTestDatabase, PG_SKIP_REASON, PG_URL } from './pg';
import { MIGRATIONS_POSTGRES } from './helpers';
import { defineStoreContract, type OpenOptions } from './store-contract';
import { queuePolicy } from '../src/core/queue/policy';

const migrations = loadMigrations(MIGRATIONS_POSTGRES);

/** `?` placeholders to PostgreSQL's `$n`. */
export function dollarParams(query: string): string {
  let i = 0;
  return query.replace(/\?/g, () => `$${++i}`);
}

if (!PG_URL) {
  // Only reachable outside CI (pg-global-setup.ts throws under CI): say why nothing ran.
  describe.skip(`PostgreSQL store contract (${PG_SKIP_REASON})`, () => {
    it('needs a PostgreSQL server', () => {});
  });
} else {
  defineStoreContract(async (opts: OpenOptions) => {
    const url = await createTestDatabase();
    const open = (o: OpenOptions) => PgJobStore.open({ url, migrations, poolSize: 2, clock: o.clock, policy: queuePolicy(o) });
    let store = await open(opts);
    return {
      store,
      async sql(query, params = []) {
        return (await store.pool.query(dollarParams(query), params)).rows;
      },
      async reopen(o) {
        store = await open(o);
        return store;
      },
    };
  });
}
