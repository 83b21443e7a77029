/**
 * A pool wired to a Quire instance's store and config: what the CLI (`quire run`, `quire worker`)
 * and the local server use. The Electron main process passes its own spawner and worker entry.
 */
import { join } from 'node:path';
import type { Quire } from '../app';
import { CORES } from '../config/config';
import { pathMapper } from '../config/path-mappings';
import { languageFoldersFor, languagePath } from '../ocr/language-data';
import { defaultTessdataDir } from '../ocr/languages';
import type { OcrEngineOptions } from '../ocr/types';
import { packageRoot } from '../paths';
import { createForkSpawner } from './fork-spawner';
import type { Spawner } from './spawner';
import type { PoolOptions } from './supervisor';
import { WorkerPool } from './supervisor';

export interface QuirePoolOptions {
  /** Overrides concurrent_ocr_jobs (still capped at the core count). */
  concurrency?: number;
  spawner?: Spawner;
  workerEntry?: string;
  /** Engine registry name; default from QUIRE_ENGINE (test-only 'fake') or 'tesseract'. */
  engine?: string;
  engineOptions?: Partial<OcrEngineOptions>;
  env?: NodeJS.ProcessEnv;
  extra?: Partial<PoolOptions>;
}

export function defaultWorkerEntry(): string {
  return join(packageRoot(), 'src', 'worker', 'main.ts');
}


export async function createQuirePool(quire: Quire, o: QuirePoolOptions = {}): Promise<WorkerPool> {
  const config = await quire.config();
  const env = o.env ?? process.env;
  return new WorkerPool({
    store: quire.store,
    spawner: o.spawner ?? createForkSpawner({ logger: quire.logger }),
    workerEntry: o.workerEntry ?? defaultWorkerEntry(),
    engine: o.engine ?? (env.QUIRE_ENGINE || 'tesseract'),
    engineOptions: {
      languages: config.ocr_languages,
      // Shipped languages merged with those added to <data dir>/languages (language-data.ts).
      langPath: languagePath(languageFoldersFor(quire.dataDir, defaultTessdataDir(env))),
      keepExistingText: config.keep_existing_text,
      ...o.engineOptions,
    },
    concurrency: Math.min(o.concurrency ?? config.concurrent_ocr_jobs, CORES),
    timeoutMs: config.ocr_timeout_seconds * 1000,
    leaseMs: config.lease_timeout_seconds * 1000,
    recycleAfterJobs: config.worker_recycle_jobs,
    recycleRssBytes: config.worker_max_rss_mb * 1024 * 1024,
    logger: quire.logger,
    mapPath: pathMapper(config.path_mappings),
    ...o.extra,
  });
}
