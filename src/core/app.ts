/**
 * Composition root: every host (CLI, local server, Electron main) builds Quire through here,
 * handing in what differs between hosts. Nothing here knows which host it runs in.
 */
import { mkdirSync, statSync } from 'node:fs';
import type { Clock } from './clock';
import { systemClock } from './clock';
import type { Config, ResolvedSetting } from './config/config';
import { definition, parseSettingValue, resolveConfig, validateSettingValue } from './config/config';
import { QuireError } from '../shared/errors';
import type { IngestOptions, IngestReport } from './ingest/ingest';
import { ingest } from './ingest/ingest';
import type { Logger } from './logger';
import { silentLogger } from './logger';
import type { Environment } from './config/environment';
import { readEnvironment } from './config/environment';
import type { LockWait } from './store/wait-lock';
import type { LanguageInfo } from './config/language-data';
import { addedLanguagesDir, languagePath, listLanguages } from './config/language-data';
import type { Maintenance } from './queue/maintenance';
import { startMaintenance } from './queue/maintenance';
import { queuePolicy } from './queue/policy';
import { createStore } from './store';
import type { JobStore } from './store/types';

export interface QuireOptions {
  dataDir: string;
  store?: JobStore;
  clock?: Clock;
  logger?: Logger;
  /** Where settings' environment overrides and Quire's own variables are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  migrationsDir?: string;
  /** postgres:// URL: the queue lives in PostgreSQL instead of the data folder's SQLite file. */
  databaseUrl?: string;
  /** Base retry delay (default 10 s); tests shorten it. */
  backoffBaseMs?: number;
  /** Stale recovery interval (default 5 min); tests shorten it to watch hosts take back a dead host's jobs. */
  staleIntervalMs?: number;
}

export interface Quire {
  readonly dataDir: string;
  readonly store: JobStore;
  readonly logger: Logger;
  /** Quire's own environment variables, read once (config/environment.ts). */
  readonly environment: Environment;
  /** The shipped OCR languages and those added to this data folder (config/language-data.ts). */
  languages(): LanguageInfo[];
  /** The one folder tesseract.js reads language data from: the shipped one, or a merged one when languages were added. */
  langPath(): string;
  config(): Promise<Config>;
  settings(): Promise<ResolvedSetting[]>;
  setSetting(key: string, value: unknown): Promise<ResolvedSetting>;
  /** Throws a QuireError with a sentence when `value` is not acceptable for `key`, or `key` is not saved in the database. */
  checkSetting(key: string, value: unknown): void;
  ingest(paths: readonly string[], opts?: Partial<IngestOptions>): Promise<IngestReport>;
  /** Start stale recovery and cleanup timers (queue hosts only); a write lock held by another process is waited out (`lock`). */
  startMaintenance(lock?: LockWait): Promise<Maintenance>;
  close(): Promise<void>;
}

export function ensureDataDir(dataDir: string): void {
  try {
    const st = statSync(dataDir, { throwIfNoEntry: false });
    if (st && !st.isDirectory()) {
      throw new QuireError('data_dir_not_folder', `The data folder ${dataDir} is a file, not a folder. Choose a folder with --data-dir.`);
    }
    if (!st) mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    if (err instanceof QuireError) throw err;
    throw new QuireError('data_dir_unusable', `Cannot create the data folder ${dataDir}: ${(err as Error).message}.`, {
      cause: err,
    });
  }
}

/** The value to save for `key`, parsed (from text) and validated; refuses a setting that is not saved in the database. */
function checkSettingValue(key: string, value: unknown) {
  const d = definition(key);
  if (!d.persisted) {
    throw new QuireError(
      'setting_not_persisted',
      `${key} is not saved in the database; set the environment variable ${d.env} instead. Restart Quire to apply it: it is read from its environment variable when Quire starts.`,
    );
  }
  return typeof value === 'string' ? parseSettingValue(key, value) : validateSettingValue(key, value);
}

export function createQuire(opts: QuireOptions): Quire {
  const env = opts.env ?? process.env;
  const environment = readEnvironment(env);
  const logger = opts.logger ?? silentLogger;
  const clock = opts.clock ?? systemClock;
  let store = opts.store;
  if (!store) {
    const databaseUrl = opts.databaseUrl ?? environment.databaseUrl;
    if (!databaseUrl) ensureDataDir(opts.dataDir);
    store = createStore({
      dataDir: opts.dataDir,
      databaseUrl,
      clock,
      migrationsDir: opts.migrationsDir,
      policy: queuePolicy({ backoffBaseMs: opts.backoffBaseMs }),
      sqliteSynchronous: environment.sqliteSynchronous,
      pgSynchronousCommit: environment.pgSynchronousCommit,
    });
  }
  const theStore = store;
  const folders = { shipped: environment.tessdataDir, added: addedLanguagesDir(opts.dataDir) };
  const resolved = async () => resolveConfig(await theStore.listSettings(), env);
  let maintenance: Maintenance | undefined;

  return {
    dataDir: opts.dataDir,
    store: theStore,
    logger,
    environment,
    languages: () => listLanguages(folders),
    langPath: () => languagePath(folders),
    config: async () => (await resolved()).config,
    settings: async () => (await resolved()).settings,
    checkSetting(key, value) {
      checkSettingValue(key, value);
    },
    async setSetting(key, value) {
      const v = checkSettingValue(key, value);
      await theStore.setSetting(key, v);
      return (await resolved()).settings.find((s) => s.key === key)!;
    },
    async ingest(paths, o = {}) {
      const config = (await resolved()).config;
      return ingest(theStore, paths, {
        batchSize: o.batchSize ?? config.queue_batch_size,
        maxConcurrentIo: o.maxConcurrentIo ?? config.max_concurrent_io,
        onProgress: o.onProgress,
        onStorageWait: o.onStorageWait,
        sleep: o.sleep,
        languages: o.languages,
      });
    },
    async startMaintenance(lock) {
      const config = (await resolved()).config;
      maintenance ??= startMaintenance({
        store: theStore,
        leaseMs: config.lease_timeout_seconds * 1000,
        logger,
        staleIntervalMs: opts.staleIntervalMs,
      });
      await maintenance.runNow(lock);
      return maintenance;
    },
    async close() {
      maintenance?.stop();
      await theStore.close();
    },
  };
}
