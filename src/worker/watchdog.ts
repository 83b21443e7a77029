/**
 * A worker process's watchdog, on a thread of its own (worker_threads), so it runs while the main
 * thread is stuck in synchronous code: a decoder looping on a hostile file, or inflating a bomb.
 * The orphan guard before it was a 'disconnect' handler on the main thread, which never ran in
 * that case (a worker kept a core at ~94% after its host was SIGKILLed), and the memory limit a
 * timer there (a worker reached ~3.5 GB against a 2.4 GB limit, 46 s at a time).
 *
 * Every `intervalMs` (100) the thread checks:
 * - the parent: when process.ppid is no longer `parentPid` (the kernel reparents an orphan at
 *   once) or `parentPid` is gone, it SIGKILLs its own process;
 * - memory: process.memoryUsage.rss() is the whole process's resident set (read from the kernel,
 *   not per thread); past `maxRssBytes` it ends the process with MEMORY_LIMIT_SIGNAL, which
 *   nothing in a worker handles, so the kernel ends it by its default action and the parent sees
 *   that signal as the exit signal: the way a supervisor tells "over the memory limit" from any
 *   other death (SIGKILL 1 s later if the signal did not end it).
 *
 * The thread's code is a string evaluated by the Worker (eval: true), so it needs no loader, no
 * bundler entry and no TypeScript: the same under tsx, the built app and Electron's utilityProcess.
 */
import { Worker } from 'node:worker_threads';

import { MEMORY_LIMIT_SIGNAL } from '../core/pool/protocol';

export { MEMORY_LIMIT_SIGNAL };

export interface WatchdogOptions {
  /** The process that must be alive (the host that started this worker). */
  parentPid: number;
  /** Resident memory of the whole process above which it is ended; none when undefined or 0. */
  maxRssBytes?: number;
  /** How often to look, in ms (100: a leak of 800 MB/s passes the limit by ~80 MB at most). */
  intervalMs?: number;
}

export interface Watchdog {
  /** Set (or change) the memory limit: the host sends it with the engine's start. 0: none. */
  setMaxRss(bytes: number): void;
  /** Stop watching (the thread ends). */
  stop(): Promise<void>;
}

const THREAD = `
const { workerData, parentPort } = require('node:worker_threads');
const { parentPid, intervalMs, memorySignal } = workerData;
let maxRss = workerData.maxRss;
parentPort.on('message', (m) => {
  if (m && typeof m.maxRss === 'number') maxRss = m.maxRss;
});
const gone = (pid) => {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return err.code === 'ESRCH';
  }
};
let ending = false;
const check = () => {
  if (ending) return;
  if (process.ppid !== parentPid || gone(parentPid)) {
    ending = true;
    process.kill(process.pid, 'SIGKILL');
    return;
  }
  if (maxRss > 0) {
    if (process.memoryUsage.rss() > maxRss) {
      ending = true;
      process.kill(process.pid, memorySignal);
      setTimeout(() => process.kill(process.pid, 'SIGKILL'), 1000);
    }
  }
};
check();
setInterval(check, intervalMs);
`;

/** Start the watchdog thread. It never keeps the process alive by itself. */
export function startWatchdog(o: WatchdogOptions): Watchdog {
  if (!Number.isInteger(o.parentPid) || o.parentPid <= 0) throw new Error(`startWatchdog: parentPid must be a process id, got ${o.parentPid}`);
  const worker = new Worker(THREAD, {
    eval: true,
    workerData: { parentPid: o.parentPid, maxRss: o.maxRssBytes ?? 0, intervalMs: o.intervalMs ?? 100, memorySignal: MEMORY_LIMIT_SIGNAL },
    // Its own small heap: the thread must not be what runs out of memory.
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    stdout: false,
    stderr: false,
  });
  worker.unref();
  return {
    setMaxRss(bytes) {
      worker.postMessage({ maxRss: Math.max(0, Math.floor(bytes)) });
    },
    async stop() {
      await worker.terminate();
    },
  };
}
