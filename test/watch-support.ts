/** Helpers for the watch tests: a real SQLite store in a temp folder, and waiting on conditions. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMigrationsDir } from '../src/core/paths';
import { loadMigrations } from '../src/core/store/migrations';
import { SqliteJobStore } from '../src/core/store/sqlite/store';

export function freshDir(prefix = 'quire-watch-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function openStore(dataDir: string): SqliteJobStore {
  return new SqliteJobStore({ path: join(dataDir, 'quire.db'), migrations: loadMigrations(defaultMigrationsDir('sqlite')) });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits until `check` returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`Timed out waiting for: ${what}`);
    await sleep(25);
  }
}

/** Timings small enough for tests; the defaults are for people. */
export const FAST = {
  stabilityThresholdMs: 150,
  writePollMs: 30,
  pollingIntervalMs: 100,
  availabilityCheckMs: 100,
  deleteSettleMs: 150,
};
