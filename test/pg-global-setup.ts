/**
 * vitest globalSetup: a throwaway PostgreSQL server for the PostgreSQL store tests.
 *
 * - QUIRE_TEST_DATABASE_URL set: use that server (any database on it; tests create their own).
 * - Otherwise start one from the local binaries (scripts/pg-server.ts), stopped after the run.
 * - Under CI (CI=true) a missing server is an error, never a silent skip. Locally without the
 *   binaries the PostgreSQL tests are skipped with the reason printed.
 */
import type { TestProject } from 'vitest/node';
import { pgBinariesAvailable, PG_BIN, type PgServer, startPgServer } from '../scripts/pg-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the test server ('' when there is none). */
    pgUrl: string;
    /** Why there is no server (local runs only). */
    pgSkipReason: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  let url = process.env.QUIRE_TEST_DATABASE_URL ?? '';
  let reason = '';
  let server: PgServer | undefined;
  if (!url) {
    if (!pgBinariesAvailable()) {
      reason = `no PostgreSQL binaries in ${PG_BIN} and QUIRE_TEST_DATABASE_URL is not set (apt-get install -y postgresql)`;
    } else {
      try {
        server = await startPgServer();
        url = server.url;
      } catch (err) {
        reason = `could not start PostgreSQL: ${(err as Error).message}`;
      }
    }
  }
  if (!url) {
    if (process.env.CI) throw new Error(`PostgreSQL store tests cannot run in CI: ${reason}`);
    process.stderr.write(`\nSKIPPING PostgreSQL store tests: ${reason}\n\n`);
  }
  project.provide('pgUrl', url);
  project.provide('pgSkipReason', reason);
  return () => server?.stop();
}
