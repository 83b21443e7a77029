/**
 * Spawner on Electron's utilityProcess: the app's OCR workers. Thin by design; everything else
 * about the pool is the same code the CLI runs with child_process.fork. utilityProcess's own
 * kill() cannot pick a signal, so SIGKILL goes through the OS; it reports the pid only once
 * spawned, so niceness is applied on 'spawn'. Its exit event carries no signal: a worker its
 * watchdog ended for memory is told apart by the pool's memory reports, not by the signal. Type-checked here; the Electron binary cannot run on the build machines.
 */
import { setPriority } from 'node:os';
import { utilityProcess } from 'electron';
import { WORKER_NICENESS } from '../core/pool/fork-spawner';
import { isWorkerMessage, PARENT_PID_ARG, type WorkerMessage } from '../core/pool/protocol';
import type { SpawnOptions, Spawner, WorkerHandle } from '../core/pool/spawner';

export function createUtilitySpawner(niceness = WORKER_NICENESS): Spawner {
  return {
    spawn(entry: string, opts: SpawnOptions = {}): WorkerHandle {
      // The host's pid as an argument: the worker's watchdog ends it when this process dies.
      const child = utilityProcess.fork(entry, [`${PARENT_PID_ARG}=${process.pid}`], {
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
        kill(signal = 'SIGTERM') {
          if (exited) return;
          // utilityProcess.kill() only asks (SIGTERM): a worker past its memory limit, or deaf to
          // the request, gets SIGKILL from the OS directly.
          if (signal === 'SIGKILL' && child.pid !== undefined) {
            try {
              process.kill(child.pid, 'SIGKILL');
              return;
            } catch {
              // gone meanwhile: fall through to the polite request, which is then a no-op
            }
          }
          child.kill();
        },
      };
    },
  };
}
