/**
 * The worker's line to its parent, the same under Electron's utilityProcess
 * (process.parentPort, messages wrapped in {data}) and child_process.fork (process.send and
 * process.on('message')). Only this file knows the difference.
 */
import type { ParentMessage, WorkerMessage } from '../core/pool/protocol';

export interface Channel {
  send(msg: WorkerMessage): void;
  onMessage(cb: (msg: ParentMessage) => void): void;
  /** The parent went away (fork only: utilityProcess children are ended by Electron itself). */
  onDisconnect(cb: () => void): void;
}

interface ParentPort {
  on(event: 'message', cb: (e: { data: unknown }) => void): void;
  postMessage(msg: unknown): void;
}

export function parentChannel(proc: NodeJS.Process = process): Channel {
  const port = (proc as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (port) {
    return {
      send: (msg) => port.postMessage(msg),
      onMessage: (cb) => port.on('message', (e) => cb(e.data as ParentMessage)),
      onDisconnect: () => {},
    };
  }
  if (!proc.send) throw new Error('The OCR worker must be started by Quire (no IPC channel to a parent).');
  return {
    send: (msg) => {
      if (proc.connected) proc.send!(msg);
    },
    onMessage: (cb) => proc.on('message', (m) => cb(m as ParentMessage)),
    onDisconnect: (cb) => proc.on('disconnect', cb),
  };
}
