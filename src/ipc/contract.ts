/**
 * The one API contract shared by Electron IPC (main/preload) and HTTP (server), and used by the
 * renderer through a single client. Types only: no runtime imports, so every side can use it.
 */
import type { QueueStats } from '../core/store/types';

export interface Handlers {
  stats(): Promise<QueueStats>;
  requeueFailed(): Promise<number>;
  pause(): Promise<void>;
  resume(): Promise<void>;
}

export type HandlerName = keyof Handlers;

export interface Invoke {
  <K extends HandlerName>(name: K, ...args: Parameters<Handlers[K]>): ReturnType<Handlers[K]>;
}

/** Errors cross process boundaries as data. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: { name: string; message: string; kind: string } };
