/**
 * Spawner on child_process.fork, for the CLI, the local server and tests. Workers run the built
 * JavaScript (out/main/worker.js); tests that fork TypeScript entries pass the loader in
 * `execArgv`. Workers run at below-normal CPU priority, so a batch never makes the desktop
 * sluggish.
 */
import { fork } from 'node:child_process';
import { setPriority } from 'node:os';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import type { WorkerMessage } from './protocol';
import { isWorkerMessage, PARENT_PID_ARG } from './protocol';
import type { SpawnOptions, Spawner, WorkerHandle } from './spawner';

/** nice 10: below normal on Unix; Windows maps it to BELOW_NORMAL_PRIORITY_CLASS. */
export const WORKER_NICENESS = 10;

export interface ForkSpawnerOptions {
  niceness?: number;
  logger?: Logger;
  /** Where the children's stdout/stderr go; 'inherit' by default so a crash's message is seen. */
  stdio?: 'inherit' | 'ignore';
  /** Node options for the children (tests: a TypeScript loader). */
  execArgv?: string[];
}

export function createForkSpawner(opts: ForkSpawnerOptions = {}): Spawner {
  const log = (opts.logger ?? silentLogger).scope('spawner');
  const niceness = opts.niceness ?? WORKER_NICENESS;
  return {
    spawn(entry: string, spawnOpts: SpawnOptions = {}): WorkerHandle {
      const execArgv = opts.execArgv ?? [];
      const io = opts.stdio ?? 'inherit';
      // The host's pid as an argument: the worker's watchdog ends it when this process dies.
      const child = fork(entry, [`${PARENT_PID_ARG}=${process.pid}`], {
        execArgv,
        serialization: 'advanced',
        env: { ...process.env, ...spawnOpts.env },
        stdio: ['ignore', io, io, 'ipc'],
      });
      if (child.pid !== undefined) {
        try {
          setPriority(child.pid, niceness);
        } catch (err) {
          log.warn('could not lower worker priority', { pid: child.pid, error: (err as Error).message });
        }
      }
      let exited = false;
      const exitCbs: ((code: number | null, signal: string | null) => void)[] = [];
      const finish = (code: number | null, signal: string | null) => {
        if (exited) return;
        exited = true;
        for (const cb of exitCbs) cb(code, signal);
      };
      child.on('exit', (code, signal) => finish(code, signal));
      // A failed spawn emits 'error' and maybe no 'exit'.
      child.on('error', (err) => {
        log.error('worker process error', { pid: child.pid, error: err.message });
        if (child.exitCode === null && child.signalCode === null && child.pid === undefined) finish(null, null);
      });
      return {
        get pid() {
          return child.pid;
        },
        send(msg) {
          if (!child.connected) return;
          child.send(msg, (err) => {
            if (err) log.debug('send to worker failed', { pid: child.pid, error: err.message });
          });
        },
        onMessage(cb: (msg: WorkerMessage) => void) {
          child.on('message', (m) => {
            if (isWorkerMessage(m)) cb(m);
          });
        },
        onExit(cb) {
          exitCbs.push(cb);
        },
        kill(signal = 'SIGTERM') {
          if (child.exitCode !== null || child.signalCode !== null) return;
          try {
            child.kill(signal);
          } catch {
            // already gone
          }
        },
      };
    },
  };
}
