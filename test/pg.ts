/**
 * PostgreSQL test databases: each call creates a database with a random name on the test server
 * (see pg-global-setup.ts) and drops it after the test file, so files run in parallel without
 * sharing state.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';

export const PG_URL = inject('pgUrl');
export const PG_SKIP_REASON = inject('pgSkipReason');

export function urlForDatabase(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

let created: string[] = [];
let cleanupRegistered = false;

export async function createTestDatabase(prefix = 'quire_t'): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  created.push(name);
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    afterAll(async () => {
      const names = created;
      created = [];
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        for (const n of names) await c.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    });
  }
  return urlForDatabase(PG_URL, name);
}
