/**
 * The environment variables Quire reads besides the settings' own (config.ts): where data lives,
 * which database, durability trade-offs, the language-data folder. Read here and nowhere else;
 * each is validated with a message that names it. Test knobs are not environment variables:
 * tests inject them (backoff base, stale-recovery interval, the worker entry).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { QuireError } from '../../shared/errors';
import { APP_NAME, packageRoot } from '../paths';

export interface Environment {
  /** QUIRE_DATA_DIR (the --data-dir flag wins over it). */
  dataDir: string | undefined;
  /** DATABASE_URL, when it is a postgres:// URL (other values belong to other programs and are ignored). */
  databaseUrl: string | undefined;
  /** QUIRE_SQLITE_SYNCHRONOUS: full (default, every commit flushed) or normal (flushed at checkpoints). */
  sqliteSynchronous: 'full' | 'normal';
  /** QUIRE_PG_SYNCHRONOUS_COMMIT=on: PostgreSQL waits for the WAL flush at every commit. */
  pgSynchronousCommit: boolean;
  /** QUIRE_TESSDATA_DIR: the language-data folder (default resources/tessdata of the package). */
  tessdataDir: string;
  /** The tessdata_fast English model shipped beside it (resources/tessdata-fast), used when ocr_model is fast. */
  tessdataFastDir: string;
  /** APPDATA / XDG_CONFIG_HOME: where the OS keeps per-user app data. */
  appDataBase: string;
  /** ELECTRON_RENDERER_URL: electron-vite's dev server (`electron-vite dev` sets it); the app loads its page from there. */
  rendererDevUrl: string | undefined;
}

/** Every variable this module reads, for the README and `quire config list`. */
export const ENVIRONMENT_VARIABLES = [
  'QUIRE_DATA_DIR',
  'DATABASE_URL',
  'QUIRE_SQLITE_SYNCHRONOUS',
  'QUIRE_PG_SYNCHRONOUS_COMMIT',
  'QUIRE_TESSDATA_DIR',
  'ELECTRON_RENDERER_URL',
] as const;

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): Environment {
  const sync = (env.QUIRE_SQLITE_SYNCHRONOUS ?? '').trim().toLowerCase();
  if (sync !== '' && sync !== 'full' && sync !== 'normal') {
    throw new QuireError('usage', `QUIRE_SQLITE_SYNCHRONOUS must be "normal" or "full", not "${env.QUIRE_SQLITE_SYNCHRONOUS}".`);
  }
  const url = env.DATABASE_URL;
  return {
    dataDir: env.QUIRE_DATA_DIR || undefined,
    databaseUrl: url && isPostgresUrl(url) ? url : undefined,
    sqliteSynchronous: sync === 'normal' ? 'normal' : 'full',
    pgSynchronousCommit: /^(on|true|1)$/i.test(env.QUIRE_PG_SYNCHRONOUS_COMMIT ?? ''),
    tessdataDir: env.QUIRE_TESSDATA_DIR || join(packageRoot(), 'resources', 'tessdata'),
    tessdataFastDir: join(packageRoot(), 'resources', 'tessdata-fast'),
    appDataBase:
      platform === 'win32'
        ? env.APPDATA || join(home, 'AppData', 'Roaming')
        : platform === 'darwin'
          ? join(home, 'Library', 'Application Support')
          : env.XDG_CONFIG_HOME || join(home, '.config'),
    rendererDevUrl: env.ELECTRON_RENDERER_URL || undefined,
  };
}

/** The OS's per-user app-data folder for Quire: the same folder Electron's userData gives the app. */
export function defaultDataDir(e: Pick<Environment, 'appDataBase'>): string {
  return join(e.appDataBase, APP_NAME);
}

/** --data-dir, else QUIRE_DATA_DIR, else the per-user default. */
export function resolveDataDir(flag: string | undefined, e: Environment): string {
  return resolve(flag || e.dataDir || defaultDataDir(e));
}

/**
 * The URL that selects PostgreSQL: the flag if given (it must be a postgres:// URL), else
 * DATABASE_URL when it is one.
 */
export function resolveDatabaseUrl(flag: string | undefined, e: Pick<Environment, 'databaseUrl'>): string | undefined {
  if (flag !== undefined && flag !== '') {
    if (!isPostgresUrl(flag)) {
      throw new QuireError('usage', `--database-url must be a PostgreSQL URL (postgres://user@host:port/database), not "${flag}".`);
    }
    return flag;
  }
  return e.databaseUrl;
}
