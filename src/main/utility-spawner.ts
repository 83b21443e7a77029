/**
 * Spawner on Electron's utilityProcess: the app's OCR workers. Thin by design; everything else
 * about the pool is the same code the CLI runs with child_process.fork. utilityProcess cannot
 * pick a signal (kill() ends the process), and it reports the pid only once spawned, so niceness
 * is applied on 'spawn'. Type-checked here; the Electron binary cannot run on the build machines.
 */
import { setPriority } from 'node:os';
import { utilityProcess } from 'electron';
import { WORKER_NICENESS } from '../core/pool/fork-spawner';
import { isWorkerMessage, type WorkerMessage } from '../core/pool/protocol';
import type { SpawnOptions, Spawner, WorkerHandle } from '../core/pool/spawner';

export function createUtilitySpawner(niceness = WORKER_NICENESS): Spawner {
  return {
    spawn(entry: string, opts: SpawnOptions = {}): WorkerHandle {
      const child = utilityProcess.fork(entry, [], {
        serviceName: opts.name ?? 'Quire OCR worker',
        env: { ...process.env, ...opts.env },
        stdio: 'inherit',
      });
      let exited = false;
      child.on('spawn', () => {
        try {
          if (child.pid !== undefined) setPriority(child.pid, niceness);
        } catch {
          // Lowering priority is a courtesy; a platform that refuses it still runs the job.
        }
      });
      return {
        get pid() {
          return child.pid;
        },
        send(msg) {
          if (!exited) child.postMessage(msg);
        },
        onMessage(cb: (msg: WorkerMessage) => void) {
          child.on('message', (m: unknown) => {
            if (isWorkerMessage(m)) cb(m);
          });
        },
        onExit(cb) {
          child.on('exit', (code: number) => {
            exited = true;
            cb(code, null);
          });
        },
        kill() {
          if (!exited) child.kill();
        },
      };
    },
  };
}
