/**
 * Where things live. The data folder defaults to the OS's per-user app-data folder for "Quire",
 * the same folder Electron's app.getPath('userData') gives the desktop app, so the CLI and the
 * app share one queue by default.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_NAME = 'Quire';
export const DB_FILE = 'quire.db';

export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_NAME);
}

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag || env.QUIRE_DATA_DIR || defaultDataDir(process.platform, env));
}

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
