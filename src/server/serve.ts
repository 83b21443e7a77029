/**
 * Hosting Quire for `quire serve`: the core, the API host, maintenance and the HTTP server.
 * The worker pool and the folder watcher come in as a QuireHost (src/core/host.ts), built by the
 * command; without one the UI says "no worker running" and watching is unavailable.
 */
import { join } from 'node:path';
import type { Quire } from '../core/app';
import { createApiHost } from '../core/api/host';
import type { PoolSeam, WatcherSeam } from '../core/api/seams';
import { connectApi, type QuireHost } from '../core/host';
import type { Logger } from '../core/logger';
import { packageRoot } from '../core/paths';
import { type RunningServer, startServer } from './server';

export interface ServeHostOptions {
  quire: Quire;
  port?: number;
  bindHost?: string;
  rendererDir?: string;
  /** The pool and watcher this process runs (their seams and live events go to the API). */
  host?: QuireHost;
  pool?: PoolSeam;
  watcher?: WatcherSeam;
  liveIntervalMs?: number;
  /** Defaults to the Quire's own logger. */
  logger?: Logger;
  /** The access token (src/server/token.ts keeps one per data folder); a new one when absent. */
  token?: string;
}

export async function serveQuire(opts: ServeHostOptions): Promise<RunningServer> {
  const { quire } = opts;
  const maintenance = await quire.startMaintenance();
  const logger = opts.logger ?? quire.logger;
  const host = createApiHost({
    quire,
    logger,
    pool: opts.pool ?? opts.host?.seams.pool,
    watcher: opts.watcher ?? opts.host?.seams.watcher,
    liveIntervalMs: opts.liveIntervalMs,
  });
  const disconnect = opts.host ? connectApi(host, opts.host.pool, opts.host.watching, opts.host.seams.watcher) : () => {};
  let running: RunningServer;
  try {
    running = await startServer({
      host,
      logger,
      port: opts.port,
      bindHost: opts.bindHost,
      rendererDir: opts.rendererDir ?? join(packageRoot(), 'out', 'renderer'),
      token: opts.token,
    });
  } catch (err) {
    // Port taken, no such address: stop what was started so the process can exit.
    disconnect();
    host.close();
    maintenance.stop();
    throw err;
  }
  return {
    ...running,
    async close() {
      disconnect();
      host.close();
      maintenance.stop();
      await running.close();
    },
  };
}
