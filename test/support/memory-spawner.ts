/**
 * A Spawner whose "processes" run the real worker loop (src/worker/run-worker.ts) inside this
 * process, over a paired channel that delivers messages asynchronously as IPC does. Supervisor
 * tests run on it in milliseconds, beside the code; the forked-process tests stay as the process
 * tier. A "process" here ends when it exits, crashes or is killed: from then on nothing crosses
 * the channel either way, as with a real dead process.
 */
import type { OcrEngineFactory } from '../../src/core/ocr/types';
import type { ParentMessage, WorkerMessage } from '../../src/core/pool/protocol';
import type { Spawner, WorkerHandle } from '../../src/core/pool/spawner';
import { runWorker } from '../../src/worker/run-worker';

/** What a worker running in memory can do to its stand-in process (the test engine's hooks). */
export interface MemoryProcess {
  readonly pid: number;
  /** Resident set size the worker reports; tests raise it to act out a leak. */
  rss: number;
  /** Ignore SIGTERM from now on (a worker stuck in native code); SIGKILL still ends it. */
  ignoreSigterm: boolean;
  /** End abruptly, as a native crash would (exit by SIGKILL, or the signal given). */
  crash(signal?: string): void;
  readonly dead: boolean;
}

/** Runs the worker loop for one stand-in process: the worker's `runWorker` with a channel and hooks. */
export type MemoryWorkerMain = (ctx: {
  channel: {
    send(msg: WorkerMessage): void;
    onMessage(cb: (msg: ParentMessage) => void): void;
    onDisconnect(cb: () => void): void;
  };
  process: MemoryProcess;
  exit(code: number): void;
}) => void;

export interface MemorySpawner extends Spawner {
  /** Every stand-in process started, in order. */
  readonly processes: MemoryProcess[];
}

let nextPid = 4_000_000;

export function createMemorySpawner(main: MemoryWorkerMain): MemorySpawner {
  const processes: MemoryProcess[] = [];
  return {
    processes,
    spawn(): WorkerHandle {
      const toWorker: ((m: ParentMessage) => void)[] = [];
      const toParent: ((m: WorkerMessage) => void)[] = [];
      const exitCbs: ((code: number | null, signal: string | null) => void)[] = [];
      const disconnectCbs: (() => void)[] = [];
      let dead = false;
      const end = (code: number | null, signal: string | null) => {
        if (dead) return;
        dead = true;
        setImmediate(() => {
          for (const cb of exitCbs) cb(code, signal);
        });
      };
      const proc: MemoryProcess = {
        pid: nextPid++,
        rss: 100 * 1024 * 1024,
        ignoreSigterm: false,
        crash: (signal = 'SIGKILL') => end(null, signal),
        get dead() {
          return dead;
        },
      };
      processes.push(proc);
      main({
        channel: {
          send: (msg) => {
            if (!dead) setImmediate(() => !dead && toParent.forEach((cb) => cb(structuredClone(msg))));
          },
          onMessage: (cb) => toWorker.push(cb),
          onDisconnect: (cb) => disconnectCbs.push(cb),
        },
        process: proc,
        exit: (code) => end(code, null),
      });
      return {
        get pid() {
          return proc.pid;
        },
        send(msg) {
          if (!dead) setImmediate(() => !dead && toWorker.forEach((cb) => cb(structuredClone(msg))));
        },
        onMessage: (cb) => toParent.push(cb),
        onExit: (cb) => exitCbs.push(cb),
        kill(signal = 'SIGTERM') {
          if (signal === 'SIGTERM' && proc.ignoreSigterm) return;
          end(null, signal);
        },
      };
    },
  };
}

/**
 * The real worker loop for a stand-in process, with an engine loader that may use the process's
 * hooks (the scripted test engine acts out crashes and leaks through them).
 */
export function memoryWorker(loadEngine: (name: string, proc: MemoryProcess) => Promise<OcrEngineFactory>): MemoryWorkerMain {
  return ({ channel, process: proc, exit }) =>
    runWorker({ channel, loadEngine: (name) => loadEngine(name, proc), exit, rss: () => proc.rss, pid: proc.pid });
}
