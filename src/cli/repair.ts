/**
 * `quire repair [--move-aside]`: check the queue database; with --move-aside, keep a damaged one
 * as quire.db.broken-<time> and start a fresh queue. Runs without opening the store (the store
 * refuses a damaged file), so it is dispatched before the Quire instance is created.
 */
import { join } from 'node:path';
import { DB_FILE } from '../core/paths';
import { checkDatabase, moveDatabaseAside } from '../core/store/sqlite/repair';
import type { Io } from './output';

export const REPAIR_USAGE = 'quire repair [--move-aside]';
export const REPAIR_SUMMARY = 'Check the queue database; --move-aside keeps a damaged one as quire.db.broken-<time> and starts fresh.';

export function runRepair(dataDir: string, moveAside: boolean, io: Io): number {
  const path = join(dataDir, DB_FILE);
  const check = checkDatabase(path);
  if (!check.exists) {
    io.out.write(`No database at ${path} yet; nothing to repair.\n`);
    return 0;
  }
  if (check.ok && !moveAside) {
    io.out.write(`The database at ${path} is healthy (integrity check: ok).\n`);
    return 0;
  }
  if (!check.ok) {
    io.out.write(`The database at ${path} is damaged:\n${check.problems.map((p) => `  ${p}`).join('\n')}\n`);
  }
  if (!moveAside) {
    io.out.write('Run `quire repair --move-aside` to keep it aside and start a fresh queue (files will need to be added again).\n');
    return 1;
  }
  const aside = moveDatabaseAside(path);
  io.out.write(
    `Moved ${path} to ${aside} (kept, not deleted). A fresh, empty queue is made when you add your folders again (quire ingest / quire watch add).\n`,
  );
  return 0;
}
