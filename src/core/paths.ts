/**
 * Where things live in the package. The data folder's default (the OS's per-user app-data folder
 * for "Quire", the same folder Electron's app.getPath('userData') gives the desktop app) is
 * resolved with the environment in config/environment.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_NAME = 'Quire';
export const DB_FILE = 'quire.db';

/** The package root in a checkout or an installed package (the folder holding migrations/). */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && existsSync(join(dir, 'migrations'))) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'quire') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`Cannot find Quire's package root above ${from}`);
    dir = up;
  }
}

export function defaultMigrationsDir(dialect: 'sqlite' | 'postgres'): string {
  return join(packageRoot(), 'migrations', dialect);
}
