/**
 * The one host assembly. The CLI, the local server and the Electron main each call `openHost`
 * once and differ only in what they ask for: a worker pool (and how its processes start), the
 * folder watcher, the live look at other processes. Everything a front end does goes through the
 * host's handlers (the API) and its one event route.
 *
 *   openHost ─ Quire (store + settings)                          ../app.ts
 *            ├ event bus: one route, one vocabulary              ./bus.ts
 *            ├ API handlers                                      ./api.ts -> ../api/handlers.ts
 *            ├ maintenance (stale recovery, cleanup)             ../queue/maintenance.ts
 *            ├ worker pool, following its settings               ./processing.ts, ./pool-settings.ts
 *            ├ folder watcher + outputs on completion            ./watching.ts
 *            ├ request worker (page images, searchable PDFs)     ../pool/requests.ts
 *            ├ live look at changes other processes make         ./live.ts
 *            └ drain: process until nothing is left              ./drain.ts
 */
import { join } from 'node:path';
import type { EventMessage } from '../../shared/events';
import type { Quire, QuireOptions } from '../app';
import { createQuire } from '../app';
import type { ApiHandlers } from '../api/handlers';
import { pathMapper } from '../config/path-mappings';
import { createForkSpawner } from '../pool/fork-spawner';
import { currentHost } from '../pool/host-id';
import { RequestPool } from '../pool/requests';
import type { Spawner } from '../pool/spawner';
import type { PoolOptions } from '../pool/options';
import type { WorkerPool } from '../pool/supervisor';
import { packageRoot } from '../paths';
import { createHeadlessPowerSource, type PowerSource } from '../power';
import { damagedMessage, isDamagedStorage } from '../store/errors';
import type { WatchOptions } from '../watch';
import { createHostHandlers } from './api';
import { createEventBus } from './bus';
import { drain, type DrainOutcome } from './drain';
import { startLive } from './live';
import { type Processing, startProcessing } from './processing';
import { poolSeam, watcherSeam } from './seams';
import { startWatchingFolders, type Watching, writeOutputsOnCompletion } from './watching';

export type { DrainEnd, DrainOutcome } from './drain';

export interface HostOptions extends QuireOptions {
  /** An already open Quire (tests); otherwise one is created from the options. */
  quire?: Quire;
  /** Run a worker pool; `concurrency` fixes its size (otherwise concurrent_ocr_jobs, followed live). */
  workers?: false | { concurrency?: number };
  /** Watch the watched folders (while enable_background_ocr is on). */
  watch?: boolean;
  /** Stale recovery and cleanup timers; default on for hosts that process or watch. */
  maintenance?: boolean;
  /** Look at the database every `intervalMs` for changes other processes make (hosts serving a UI; drain turns it on). */
  live?: boolean | { intervalMs: number };
  /** How worker processes start: child_process.fork by default; the app passes utilityProcess. */
  spawner?: Spawner;
  /** The worker entry: the built worker (out/main/worker.js) by default; tests pass their own. */
  workerEntry?: string;
  /** The OCR engine workers run ('tesseract'; tests' worker entry also knows 'scripted'). */
  engine?: string;
  /** What the machine is doing (battery, idle, sleep): the app passes Electron's; otherwise the headless reader (Linux sysfs + logind). */
  power?: PowerSource | ((o: { sysfsRoot: string }) => PowerSource);
  /** Hears every event from the start (before the watcher's first rescan), as subscribe() would. */
  listener?: (m: EventMessage) => void;
  /** Tests: shorter timings. */
  tuning?: { pool?: Partial<PoolOptions>; configRefreshMs?: number; watch?: WatchOptions; requestTimeoutMs?: number };
}

export interface Host {
  readonly quire: Quire;
  /** The API: every front end calls these. */
  readonly handlers: ApiHandlers;
  subscribe(listener: (m: EventMessage) => void): () => void;
  /** This host's pool, when it runs one (stats for diagnostics and tests). */
  readonly pool: WorkerPool | null;
  /** Look at the database now instead of at the next tick. */
  refresh(): Promise<void>;
  /** Process until nothing is pending or processing, processing cannot go on, the queue is paused, or stop() is called. */
  drain(): Promise<DrainOutcome>;
  /** Settles when stop() is first called. */
  readonly stopped: Promise<void>;
  /**
   * Stop claiming, give running jobs `graceMs` to finish (the rest go back to the queue without
   * counting an attempt), end the worker processes, stop watching. The API keeps answering.
   * Called again with 0 while stopping, it cuts the grace period short.
   */
  stop(graceMs?: number): Promise<void>;
  /** stop(0) if needed, then close everything, the store last. */
  close(): Promise<void>;
}

/** What a transport (HTTP, IPC) and the desktop shell need of a host: the API and its events. */
export type ApiSurface = Pick<Host, 'handlers' | 'subscribe'>;

/** The built worker: electron-vite puts it beside the app's main (electron.vite.config.ts). */
export function builtWorkerEntry(): string {
  return join(packageRoot(), 'out', 'main', 'worker.js');
}

async function powerSource(quire: Quire, given: HostOptions['power']): Promise<PowerSource> {
  if (given && typeof given !== 'function') return given;
  const sysfsRoot = (await quire.config()).sysfs_root;
  return given ? given({ sysfsRoot }) : createHeadlessPowerSource({ sysfsRoot });
}

export async function openHost(o: HostOptions): Promise<Host> {
  const quire = o.quire ?? createQuire(o);
  const log = (o.logger ?? quire.logger).scope('host');
  const bus = createEventBus(log);
  if (o.listener) bus.subscribe(o.listener);
  const spawner = o.spawner ?? createForkSpawner({ logger: quire.logger });
  const workerEntry = o.workerEntry ?? builtWorkerEntry();
  const me = currentHost();
  const ownPrefix = `${me.host}/${me.pid}/`;

  let requests: RequestPool | null = null;
  const getRequests = () =>
    (requests ??= new RequestPool({
      spawner,
      workerEntry,
      // Settings are read when the request worker starts; a change applies to the next one.
      timeoutMs: (o.tuning?.requestTimeoutMs ?? 300) * 1000,
      maxRssBytes: 2 * 1200 * 1024 * 1024,
      logger: quire.logger,
      idPrefix: `${ownPrefix}requests`,
      mapPath: async (path) => pathMapper((await quire.config()).path_mappings)(path),
    }));

  const processes = o.workers !== undefined && o.workers !== false;
  // Another process holding the queue database locked is waited out here, and said on the bus.
  const maintenance = o.maintenance ?? (processes || o.watch === true) ? await quire.startMaintenance({ onStorageWait: (e) => bus.emit('storageStatus', e) }) : null;

  let processing: Processing | null = null;
  if (processes) {
    processing = await startProcessing({
      quire,
      bus,
      log: quire.logger,
      spawner,
      workerEntry,
      engine: o.engine ?? 'tesseract',
      concurrency: o.workers ? o.workers.concurrency : undefined,
      power: await powerSource(quire, o.power),
      hostId: `${me.host}/${me.pid}`,
      configRefreshMs: o.tuning?.configRefreshMs,
      pool: o.tuning?.pool,
    });
    // Stale recovery here never takes back a job this host's live workers hold (after a sleep).
    const pool = processing.pool;
    maintenance?.renewFirst(() => pool.leases.renewNow());
  }

  let seam = watcherSeam(quire.store, null);
  let watching: Watching | null = null;
  if (o.watch) {
    watching = startWatchingFolders({ quire, bus, log: quire.logger, seam: () => seam, options: o.tuning?.watch });
    seam = watcherSeam(quire.store, watching.handle);
  }
  const outputs = processing && watching ? writeOutputsOnCompletion({ quire, pool: processing.pool, watching: watching.handle, requests: getRequests, log }) : null;

  const handlers = createHostHandlers({ quire, bus, pool: processing ? poolSeam(processing) : undefined, watcher: seam, requests: getRequests });

  let live: ReturnType<typeof startLive> | null = null;
  const startLiveLook = (intervalMs?: number) =>
    (live ??= startLive({
      store: quire.store,
      emit: bus.emit,
      intervalMs,
      // Jobs this host's pool runs are reported by the pool itself.
      ownedHere: (workerId) => workerId !== null && workerId.startsWith(ownPrefix),
      onError: (err) => {
        if (isDamagedStorage(err)) bus.emit('fatal', { message: damagedMessage(err) });
        else log.warn('live update failed', { error: String(err) });
      },
    }));
  if (o.live) startLiveLook(typeof o.live === 'object' ? o.live.intervalMs : undefined);
  // A command's own statsChanged is remembered as the last one sent, so an echo is not sent again.
  bus.subscribe((m) => {
    if (m.event === 'statsChanged') live?.sent(m.data);
  });

  let signalStop: () => void = () => {};
  const stopped = new Promise<void>((r) => (signalStop = r));
  let stopping: Promise<void> | null = null;
  const stop = (graceMs = 30_000): Promise<void> => {
    signalStop();
    if (stopping) {
      if (graceMs === 0) void processing?.pool.stop(0);
      return stopping;
    }
    stopping = (async () => {
      // The pool first: a job finishing within the grace period still gets its outputs written.
      await processing?.stop(graceMs);
      await outputs?.settle();
      await watching?.stop();
      await requests?.close();
    })();
    return stopping;
  };

  return {
    quire,
    handlers,
    subscribe: bus.subscribe,
    pool: processing?.pool ?? null,
    refresh: async () => {
      await startLiveLook().tick();
    },
    drain: () => {
      const l = startLiveLook();
      return drain({ subscribe: bus.subscribe, look: () => l.tick(), store: quire.store, busy: () => processing?.pool.stats().busy ?? 0, stopped });
    },
    stop,
    stopped,
    async close() {
      await stop(0);
      live?.stop();
      bus.clear();
      await quire.close();
    },
  };
}
