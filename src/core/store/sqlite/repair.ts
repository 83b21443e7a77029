/**
 * Checking and replacing a damaged queue database. Nothing is ever deleted: a damaged file is
 * renamed (with its -wal and -shm companions) to `<name>.broken-<UTC time>`, and a fresh, empty
 * queue is created in its place on the next open. Works on files the store itself refuses to open.
 */
import { existsSync, renameSync } from 'node:fs';
import Database from 'better-sqlite3';

export interface DatabaseCheck {
  exists: boolean;
  ok: boolean;
  /** integrity_check's findings (first few), or why the file could not be opened. */
  problems: string[];
}

/** PRAGMA integrity_check, read-only. Cost grows with the database (seconds at millions of rows). */
export function checkDatabase(path: string): DatabaseCheck {
  if (!existsSync(path)) return { exists: false, ok: true, problems: [] };
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const rows = db.pragma('integrity_check(20)') as { integrity_check: string }[];
    const problems = rows.map((r) => r.integrity_check).filter((m) => m !== 'ok');
    return { exists: true, ok: problems.length === 0, problems };
  } catch (err) {
    return { exists: true, ok: false, problems: [`${(err as { code?: string }).code ?? 'error'}: ${(err as Error).message}`] };
  } finally {
    db?.close();
  }
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z');
}

/** Rename the database and its WAL/SHM files aside; returns the new name of the main file. */
export function moveDatabaseAside(path: string, now = new Date()): string {
  const aside = `${path}.broken-${stamp(now)}`;
  if (existsSync(aside)) throw new Error(`${aside} already exists`);
  // The WAL may hold the latest transactions: it travels with the main file, under the matching name.
  for (const suffix of ['-wal', '-shm']) if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
  if (existsSync(path)) renameSync(path, aside);
  return aside;
}
