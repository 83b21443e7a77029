/**
 * The Spawner seam: the one place hosts differ in how a worker process starts. The CLI, the local
 * server and tests use child_process.fork (fork-spawner.ts); the Electron app uses
 * utilityProcess (src/main/utility-spawner.ts). Both carry structured-clone messages.
 */
import type { ParentMessage, WorkerMessage } from './protocol';

export interface SpawnOptions {
  /** Extra environment for the child (merged over the parent's). */
  env?: Record<string, string>;
  /** A name shown in process lists and logs. */
  name?: string;
}

export interface WorkerHandle {
  /** Undefined until the OS has started the process (utilityProcess reports it late). */
  readonly pid: number | undefined;
  send(msg: ParentMessage): void;
  onMessage(cb: (msg: WorkerMessage) => void): void;
  /** Called once, however the process ended. */
  onExit(cb: (code: number | null, signal: string | null) => void): void;
  /** SIGTERM asks; SIGKILL ends a process that ignores the request. */
  kill(signal?: 'SIGTERM' | 'SIGKILL'): void;
}

export interface Spawner {
  spawn(entry: string, opts?: SpawnOptions): WorkerHandle;
}
