/** Shared test helpers: temp folders that are removed after the test file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export function tempDir(prefix = 'quire-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const REPO_ROOT = join(import.meta.dirname, '..');
export const MIGRATIONS_SQLITE = join(REPO_ROOT, 'migrations', 'sqlite');
export const MIGRATIONS_POSTGRES = join(REPO_ROOT, 'migrations', 'postgres');
