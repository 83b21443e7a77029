/**
 * A queue host: what `quire worker`, `quire serve` and the Electron main run besides their own
 * front end. The OCR worker pool, the folder watcher, maintenance, and the glue between them: a
 * completed job writes its watched folder's outputs (.ocr.txt). Hosts differ only in the spawner
 * and the worker entry (child_process.fork + src/worker/main.ts in Node; utilityProcess +
 * out/main/worker.js in the app), so this is assembled once, here.
 */
import type { PoolSeam, WatcherSeam } from './api/seams';
import type { Quire } from './app';
import { CORES } from './config/config';
import { pathMapper } from './config/path-mappings';
import { connectApi, poolSeam, watcherSeam } from './host-seams';
import type { Logger } from './logger';
import { createQuirePool } from './pool/for-quire';
import type { Spawner } from './pool/spawner';
import type { WorkerPool } from './pool/supervisor';
import type { WatchHandle, WatchOptions } from './watch';
import { startWatching } from './watch';
import { createLimiter } from './ingest/limit';
import { folderFor } from './watch/outputs';
import type { DocumentRow } from '../shared/jobs';

export { connectApi };

export interface HostOptions {
  quire: Quire;
  /** Default: child_process.fork. The Electron main passes its utilityProcess spawner. */
  spawner?: Spawner;
  /** Default: src/worker/main.ts (run through tsx). The app passes out/main/worker.js. */
  workerEntry?: string;
  /** A fixed number of workers (--concurrency). Without it the host follows concurrent_ocr_jobs. */
  concurrency?: number;
  /** false: run no worker pool (`quire serve --no-workers`). */
  workers?: boolean;
  /** false: do not watch folders (`quire run`). Otherwise the watcher follows enable_background_ocr. */
  watch?: boolean;
  /** How often concurrent_ocr_jobs is re-read when not fixed (default 5 s). */
  configRefreshMs?: number;
  watchOptions?: WatchOptions;
  logger?: Logger;
}

export interface QuireHost {
  readonly pool: WorkerPool | null;
  readonly watching: WatchHandle | null;
  /** For createApiHost: the pool and the watcher as the API sees them. */
  readonly seams: { pool?: PoolSeam; watcher?: WatcherSeam };
  /**
   * Stop claiming, give running jobs `graceMs` to finish (the rest go back to the queue), end the
   * worker processes, stop watching. The store stays open: the caller closes Quire afterwards.
   * Called again with 0 while stopping, it cuts the grace period short.
   */
  stop(graceMs?: number): Promise<void>;
}

/** Builds and starts the host's pool and watcher, and maintenance (stale recovery, cleanup). */
export async function createHost(o: HostOptions): Promise<QuireHost> {
  const { quire } = o;
  const log = (o.logger ?? quire.logger).scope('host');
  await quire.startMaintenance();

  const pool =
    o.workers === false
      ? null
      : await createQuirePool(quire, { concurrency: o.concurrency, spawner: o.spawner, workerEntry: o.workerEntry });
  const watching = o.watch === false ? null : startWatching(quire, { logger: o.logger ?? quire.logger, ...o.watchOptions });

  const writing = new Set<Promise<void>>();
  if (pool && watching) {
    // Outputs (.ocr.txt next to the source, or in the folder's output folder) for watched folders.
    // Searchable PDFs (.ocr.pdf) are laid out here from the source, one at a time: it costs about
    // another OCR pass, paid only by folders that asked for PDFs. A failure costs the PDF only.
    const onePdfAtATime = createLimiter(1);
    const searchablePdf = (doc: DocumentRow) =>
      onePdfAtATime(async () => {
        const config = await quire.config();
        const { createSearchablePdf, defaultTessdataDir, readInput } = await import('./ocr/index');
        const { languageFoldersFor, languagePath } = await import('./ocr/language-data');
        return createSearchablePdf(
          await readInput(pathMapper(config.path_mappings)(doc.path)),
          { languages: config.ocr_languages, langPath: languagePath(languageFoldersFor(quire.dataDir, defaultTessdataDir())), keepExistingText: config.keep_existing_text },
        );
      });
    pool.on('job-completed', (e) => {
      const p = (async () => {
        const doc = await quire.store.getDocument(e.documentId);
        if (!doc) return;
        let pdf: Uint8Array | undefined;
        if (folderFor(await quire.store.listWatchedFolders(), doc.path)?.outputs.pdf) {
          pdf = await searchablePdf(doc).catch((err: unknown) => {
            log.warn('could not make the searchable PDF output', { path: doc.path, error: String(err) });
            return undefined;
          });
        }
        await watching.onJobCompleted(doc, pdf ? { pdf } : undefined);
      })()
        .catch((err: unknown) => log.warn('could not write watched-folder outputs', { path: e.path, error: String(err) }))
        .finally(() => writing.delete(p));
      writing.add(p);
    });
  }

  let follow: NodeJS.Timeout | undefined;
  if (pool && o.concurrency === undefined) {
    // A running host follows `quire config set concurrent_ocr_jobs` (from the CLI or another host).
    const tick = async () => {
      const want = Math.min((await quire.config()).concurrent_ocr_jobs, CORES);
      if (want !== pool.concurrency) pool.resize(want);
    };
    follow = setInterval(() => void tick().catch((err: unknown) => log.warn('could not re-read settings', { error: String(err) })), o.configRefreshMs ?? 5000);
    follow.unref();
  }

  await pool?.start();

  let stopping: Promise<void> | null = null;
  return {
    pool,
    watching,
    seams: {
      pool: pool ? poolSeam(pool) : undefined,
      watcher: watching ? watcherSeam(quire.store, watching) : undefined,
    },
    stop(graceMs = 30_000) {
      if (stopping) {
        if (graceMs === 0) void pool?.stop(0);
        return stopping;
      }
      clearInterval(follow);
      stopping = (async () => {
        // The pool first: a job finishing within the grace period still gets its outputs written.
        await pool?.stop(graceMs);
        await Promise.all([...writing]);
        await watching?.stop();
      })();
      return stopping;
    },
  };
}
