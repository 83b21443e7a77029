/**
 * One API host: the core's Quire wired to the handlers, an event bus, and the live watcher of the
 * database. The HTTP server and Electron main both build this and differ only in transport.
 */
import { randomUUID } from 'node:crypto';
import type { Quire } from '../app';
import { definition, parseSettingValue, validateSettingValue } from '../config/config';
import { pathMapper } from '../config/path-mappings';
import { QuireError } from '../../shared/errors';
import type { Logger } from '../logger';
import type { EventMessage, EventName, Events } from '../../shared/events';
import { type ApiDeps, type ApiHandlers, createHandlers } from './handlers';
import { installedLanguages } from './languages';
import { startLive } from './live';
import { renderPageImage } from './page-image';
import type { PoolSeam, WatcherSeam } from './seams';

export interface ApiHostOptions {
  quire: Quire;
  logger: Logger;
  /** SEAM(pool): pass the running worker pool here once src/core/pool exists. */
  pool?: PoolSeam;
  /** SEAM(watcher): pass the folder watcher here once src/core/watch exists. */
  watcher?: WatcherSeam;
  liveIntervalMs?: number;
  now?: () => number;
}

export interface ApiHost {
  handlers: ApiHandlers;
  /** Also the way a pool or watcher in this process pushes its own events. */
  emit<E extends EventName>(event: E, data: Events[E]): void;
  subscribe(listener: (m: EventMessage) => void): () => void;
  /** Look at the database now instead of at the next tick. */
  refresh(): Promise<void>;
  close(): void;
}

export function createApiHost(opts: ApiHostOptions): ApiHost {
  const { quire } = opts;
  const log = opts.logger.scope('api');
  const listeners = new Set<(m: EventMessage) => void>();
  // The poller is built after the handlers (it emits through this), so it is reached through a holder.
  const poller: { live?: ReturnType<typeof startLive> } = {};
  // A storage fault lasts until the database is writable again: a UI that connects meanwhile gets it too.
  let storageFault: Events['storageStatus'] | null = null;
  const emit = <E extends EventName>(event: E, data: Events[E]) => {
    if (event === 'statsChanged') poller.live?.sent(data);
    if (event === 'storageStatus') storageFault = (data as Events['storageStatus']).ok ? null : (data as Events['storageStatus']);
    const m = { event, data } as EventMessage;
    for (const l of listeners) {
      try {
        l(m);
      } catch (err) {
        // One broken subscriber (a closed socket) must not stop the others.
        log.warn('event listener failed', { error: String(err) });
      }
    }
  };
  const deps: ApiDeps = {
    store: quire.store,
    now: opts.now ?? Date.now,
    settings: () => quire.settings(),
    setSetting: (key, value) => quire.setSetting(key, value),
    checkSetting(key, value) {
      const d = definition(key);
      if (!d.persisted) {
        throw new QuireError('setting_not_persisted', `${key} is set by the environment variable ${d.env}, not saved here.`);
      }
      if (typeof value === 'string') parseSettingValue(key, value);
      else validateSettingValue(key, value);
    },
    ingest: (paths, onProgress) => quire.ingest(paths, { onProgress }),
    languages: async () => installedLanguages(),
    renderPage: async (doc, pageNo) =>
      renderPageImage({ ...doc, path: pathMapper((await quire.config()).path_mappings)(doc.path) }, pageNo),
    pool: opts.pool,
    watcher: opts.watcher,
    emit,
    newId: randomUUID,
  };
  const live = (poller.live = startLive({
    store: quire.store,
    emit,
    intervalMs: opts.liveIntervalMs,
    onError: (err) => log.warn('live update failed', { error: String(err) }),
  }));
  return {
    handlers: createHandlers(deps),
    emit,
    subscribe(l) {
      listeners.add(l);
      const fault = storageFault;
      if (fault) {
        // After the caller has finished setting up its stream (it may write headers first).
        queueMicrotask(() => {
          if (listeners.has(l)) l({ event: 'storageStatus', data: fault });
        });
      }
      return () => listeners.delete(l);
    },
    refresh: () => live.tick(),
    close() {
      live.stop();
      listeners.clear();
    },
  };
}
