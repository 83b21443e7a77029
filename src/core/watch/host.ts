/**
 * startWatching: what a queue host (`quire worker`, `quire serve`, the app) runs while
 * enable_background_ocr is on. It keeps one FolderWatcher per row of watched_folders, picks up
 * folders added or removed by another process (the CLI) on a slow refresh, and stops every
 * watcher while enable_background_ocr is off. It never throws into the host.
 */
import { EventEmitter } from 'node:events';
import { watch as chokidarWatch } from 'chokidar';
import type { Config } from '../config/config';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import type { DocumentRow } from '../../shared/jobs';
import type { JobStore, WatchedFolder } from '../store/types';
import type { FolderStatus, WatcherFactory, WatchTiming } from './folder-types';
import { FolderWatcher } from './folder-watcher';
import { outputDirs } from './folders';
import { networkFsType } from './fstype';
import type { CompletedArtifacts, OutputReport, SkippedOutput } from './outputs';
import { folderFor, moveOutputs, writeOutputs } from './outputs';
import { skippedLists } from './skipped';
import type { FileEvent } from './sync';
import { createFileSync } from './sync';

export const DEFAULT_TIMING: WatchTiming = {
  // chokidar's own default: scanners and copy tools that pause up to 2 s mid-file still yield one job.
  stabilityThresholdMs: 2000,
  writePollMs: 100,
  pollingIntervalMs: 2000,
  availabilityCheckMs: 5000,
  deleteSettleMs: 500,
};

export interface WatchOptions {
  logger?: Logger;
  timing?: Partial<WatchTiming>;
  /** How often watched_folders (and enable_background_ocr) are re-read. */
  refreshMs?: number;
  maxConcurrentIo?: number;
  createWatcher?: WatcherFactory;
  networkFsType?: (path: string) => string | null;
}

export interface WatchStatus {
  /** False while enable_background_ocr is off: nothing is watched. */
  enabled: boolean;
  folders: FolderStatus[];
}

export interface WatchHandle {
  /** Settles when every folder has been rescanned once (or found unavailable). */
  readonly ready: Promise<void>;
  status(): WatchStatus;
  on(event: 'status', fn: (s: WatchStatus) => void): WatchHandle;
  on(event: 'file', fn: (e: FileEvent) => void): WatchHandle;
  /** An output that could not be written (a name the file system cannot take), with why. */
  on(event: 'output-skipped', fn: (e: SkippedOutput & { source: string }) => void): WatchHandle;
  /** A file under a watched folder that cannot be queued (a name that is not UTF-8, a broken link), with why. */
  on(event: 'file-skipped', fn: (e: { path: string; reason: string }) => void): WatchHandle;
  off(event: 'status' | 'file' | 'output-skipped' | 'file-skipped', fn: (...args: never[]) => void): WatchHandle;
  /** Re-read the folder list now (after adding or removing a folder in this process). */
  refresh(): Promise<void>;
  /** The hook a host's pool calls when a job completes: writes the folder's outputs. */
  onJobCompleted(doc: DocumentRow, artifacts?: CompletedArtifacts): Promise<OutputReport>;
  stop(): Promise<void>;
}

/** What a watcher needs of its host: the store, a logger, and whether background OCR is on (a Quire fits). */
export interface WatchHost {
  readonly store: JobStore;
  readonly logger: Logger;
  config(): Promise<Pick<Config, 'enable_background_ocr'>>;
}

function isQuire(t: WatchHost | JobStore): t is WatchHost {
  return 'store' in t && 'config' in t;
}

/** A change in any of these restarts the folder's watcher. */
function fingerprint(f: WatchedFolder, excluded: readonly string[]): string {
  return JSON.stringify([f.poll, f.ignore, f.outputs, f.languages, excluded]);
}

export function startWatching(target: WatchHost | JobStore, opts: WatchOptions = {}): WatchHandle {
  const quire = isQuire(target) ? target : null;
  const store = quire ? quire.store : (target as JobStore);
  const logger = (opts.logger ?? quire?.logger ?? silentLogger).scope('watch');
  const timing: WatchTiming = { ...DEFAULT_TIMING, ...opts.timing };
  const events = new EventEmitter();
  const watchers = new Map<string, { w: FolderWatcher; print: string; started: Promise<void> }>();
  const languagesFor = (path: string) => folderFor([...watchers.values()].map((x) => x.w.folder), path)?.languages ?? undefined;
  // A processed file that moved keeps its result; its outputs move with it (or are written anew).
  const moving = new Set<Promise<void>>();
  const outputsFollow = (from: string, to: string) => {
    const p = (async () => {
      const doc = await store.getDocumentByPath(to);
      if (!doc) return;
      const folders = await store.listWatchedFolders();
      const r = await moveOutputs(folders, from, doc);
      const folder = folderFor(folders, to);
      for (const s of r.skipped) {
        logger.warn('output not written', { source: to, output: s.path, reason: s.reason });
        if (folder) skippedOutputs.record(folder.path, s);
        events.emit('output-skipped', { ...s, source: to });
      }
      if (r.skipped.length) emitStatus();
    })()
      .catch((err: unknown) => logger.warn('could not move outputs', { from, to, error: String(err) }))
      .finally(() => moving.delete(p));
    moving.add(p);
  };
  const sync = createFileSync({
    store,
    logger,
    onFile: (e) => {
      events.emit('file', e);
      if (e.outcome === 'moved' && e.from) outputsFollow(e.from, e.path);
    },
    languagesFor,
  });
  let enabled = true;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let refreshing: Promise<void> = Promise.resolve();

  // What this host could not do for each folder, for the UI: outputs it could not write, files it could not queue.
  const skippedOutputs = skippedLists();
  const skippedFiles = skippedLists();
  const status = (): WatchStatus => ({
    enabled,
    folders: [...watchers.values()].map((x) => {
      const st = x.w.status();
      const outputs = skippedOutputs.get(st.path);
      const files = skippedFiles.get(st.path);
      return { ...st, ...(outputs ? { skippedOutputs: outputs } : {}), ...(files ? { skippedFiles: files } : {}) };
    }),
  });
  const emitStatus = () => events.emit('status', status());

  const doRefresh = async (): Promise<void> => {
    if (stopped) return;
    let folders: WatchedFolder[] = [];
    let nowEnabled = enabled;
    try {
      if (quire) nowEnabled = (await quire.config()).enable_background_ocr;
      folders = nowEnabled ? await store.listWatchedFolders() : [];
    } catch (err) {
      logger.warn('could not read watched folders', { error: String(err) });
      return;
    }
    const excluded = outputDirs(folders);
    const wanted = new Map(folders.map((f) => [f.path, f]));
    const stops: Promise<void>[] = [];
    for (const [path, x] of watchers) {
      const f = wanted.get(path);
      if (!f || fingerprint(f, excluded) !== x.print) {
        watchers.delete(path);
        stops.push(x.w.stop());
      }
    }
    await Promise.all(stops);
    const toggled = enabled !== nowEnabled;
    enabled = nowEnabled; // reported once the watchers it stops have stopped
    if (stopped) return;
    const starts: Promise<void>[] = [];
    for (const f of folders) {
      if (watchers.has(f.path)) continue;
      const w = new FolderWatcher(f, {
        store,
        sync,
        logger,
        timing,
        maxConcurrentIo: opts.maxConcurrentIo ?? 16,
        excludedDirs: excluded,
        createWatcher: opts.createWatcher ?? chokidarWatch,
        networkFsType: opts.networkFsType ?? ((p) => networkFsType(p)),
        onStatus: emitStatus,
        onSkipped: (path, reason) => {
          logger.warn('file not queued', { path, reason });
          skippedFiles.record(f.path, { path, reason });
          events.emit('file-skipped', { path, reason });
          emitStatus();
        },
      });
      const started = w.start().catch((err: unknown) => logger.error('watcher failed to start', { path: f.path, error: String(err) }));
      watchers.set(f.path, { w, print: fingerprint(f, excluded), started });
      starts.push(started);
    }
    await Promise.all(starts);
    if (toggled || stops.length || starts.length) emitStatus();
  };

  // Refreshes never overlap: each waits for the one before.
  const refresh = () => (refreshing = refreshing.then(doRefresh, doRefresh));

  const schedule = () => {
    timer = setTimeout(() => {
      void refresh().finally(() => {
        if (!stopped) schedule();
      });
    }, opts.refreshMs ?? 5000);
  };

  const ready = refresh();
  schedule();

  const handle: WatchHandle = {
    ready,
    status,
    on(event: string, fn: (...a: never[]) => void) {
      events.on(event, fn as (...a: unknown[]) => void);
      return handle;
    },
    off(event, fn) {
      events.off(event, fn as (...a: unknown[]) => void);
      return handle;
    },
    refresh,
    async onJobCompleted(doc, artifacts) {
      try {
        const folders = await store.listWatchedFolders();
        const r = await writeOutputs(folders, doc, artifacts);
        const folder = folderFor(folders, doc.path);
        if (r.skipped.length && folder) {
          for (const s of r.skipped) {
            logger.warn('output not written', { source: doc.path, output: s.path, reason: s.reason });
            skippedOutputs.record(folder.path, s);
            events.emit('output-skipped', { ...s, source: doc.path });
          }
          emitStatus();
        }
        return r;
      } catch (err) {
        logger.warn('could not write outputs', { path: doc.path, error: String(err) });
        return { written: [], skipped: [] };
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      // Stopping a watcher also abandons its rescan, so a refresh under way finishes quickly.
      await Promise.all([...watchers.values()].map((x) => x.w.stop()));
      await refreshing.catch(() => {});
      await Promise.all([...watchers.values()].map((x) => x.w.stop()));
      await Promise.all([...moving]);
      watchers.clear();
      events.removeAllListeners();
    },
  };
  return handle;
}
