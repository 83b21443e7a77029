/** Shared test helpers: temp folders that are removed after the test file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

// One hook registered when this module loads (at a test file's top level): an afterAll registered
// from inside a running test is ignored by vitest, so folders made in tests used to be left behind.
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'quire-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

import { REPO_ROOT } from './repo-root';

export { REPO_ROOT };
export const MIGRATIONS_SQLITE = join(REPO_ROOT, 'migrations', 'sqlite');
export const MIGRATIONS_POSTGRES = join(REPO_ROOT, 'migrations', 'postgres');
