/**
 * The folder watcher of a host, and the glue between it and the pool: when a job completes, its
 * watched folder's outputs are written (.ocr.txt; a searchable .ocr.pdf is made by the request
 * worker, one at a time, paid only by folders that asked for PDFs). A failure costs that output
 * only. Folder states reach the event route as they change.
 */
import type { Quire } from '../app';
import type { WatcherSeam } from '../api/seams';
import { createLimiter } from '../ingest/limit';
import type { Logger } from '../logger';
import type { RequestPool } from '../pool/requests';
import type { WorkerPool } from '../pool/supervisor';
import type { WatchHandle, WatchOptions } from '../watch';
import { startWatching } from '../watch';
import { folderFor } from '../watch/outputs';
import type { EventBus } from './bus';
import { engineOptionsOf } from './engine-options';

export interface Watching {
  readonly handle: WatchHandle;
  stop(): Promise<void>;
}

export function startWatchingFolders(o: {
  quire: Quire;
  bus: EventBus;
  log: Logger;
  seam: () => WatcherSeam;
  options?: WatchOptions;
}): Watching {
  const handle = startWatching(o.quire, { logger: o.log, ...o.options });
  handle.on('file', (e) => {
    if (e.outcome !== 'unchanged') o.bus.emit('watchedFile', { path: e.path, outcome: e.outcome });
  });
  handle.on('status', () => {
    void o
      .seam()
      .list()
      .then((folders) => o.bus.emit('watcherStatus', { available: true, folders }))
      .catch(() => {});
  });
  return { handle, stop: () => handle.stop() };
}

/** Writes each completed job's watched-folder outputs; `settle()` waits for those under way. */
export function writeOutputsOnCompletion(o: { quire: Quire; pool: WorkerPool; watching: WatchHandle; requests: () => RequestPool; log: Logger }) {
  const { quire } = o;
  const writing = new Set<Promise<void>>();
  const onePdfAtATime = createLimiter(1);
  const searchablePdf = (path: string) =>
    onePdfAtATime(async () => {
      const config = await quire.config();
      return o.requests().searchablePdf(path, engineOptionsOf(quire, config));
    });
  o.pool.on('job-completed', (e) => {
    const p = (async () => {
      const doc = await quire.store.getDocument(e.documentId);
      if (!doc) return;
      let pdf: Uint8Array | undefined;
      if (folderFor(await quire.store.listWatchedFolders(), doc.path)?.outputs.pdf) {
        pdf = await searchablePdf(doc.path).catch((err: unknown) => {
          o.log.warn('could not make the searchable PDF output', { path: doc.path, error: String(err) });
          return undefined;
        });
      }
      await o.watching.onJobCompleted(doc, pdf ? { pdf } : undefined);
    })()
      .catch((err: unknown) => o.log.warn('could not write watched-folder outputs', { path: e.path, error: String(err) }))
      .finally(() => writing.delete(p));
    writing.add(p);
  });
  return { settle: () => Promise.all([...writing]).then(() => {}) };
}
