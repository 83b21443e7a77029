/**
 * The one API contract shared by Electron IPC (main/preload) and HTTP (server), and used by the
 * renderer through a single client. Types only: the handler types are derived from the
 * implementations (src/core/api/handlers.ts), so the contract cannot drift from what runs.
 */
import type { ApiHandlers } from '../core/api/handlers';
import type { EventMessage, EventName, Events } from '../core/api/events';

export type Handlers = ApiHandlers;
export type HandlerName = keyof Handlers;
export type { EventMessage, EventName, Events };
export type { FailureGroupView, DocumentView, SettingsUpdate, WorkersView } from '../core/api/handlers';
export type { IngestSummary, PageImage, SettingView, WatchedFolder, WorkerView } from '../core/api/seams';
export type { IngestProgress } from '../core/api/events';

/** Errors cross process boundaries as data. `message` is a sentence for a person; `kind` is stable. */
export type ApiError = { name: string; message: string; kind: string };
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export type Arg<K extends HandlerName> = Parameters<Handlers[K]>;
export type Value<K extends HandlerName> = Awaited<ReturnType<Handlers[K]>>;

/** Generic call, for code that picks the handler by name. */
export interface Invoke {
  <K extends HandlerName>(name: K, ...args: Arg<K>): Promise<Result<Value<K>>>;
}

/**
 * What a transport gives the renderer: one named method per handler, each answering a Result,
 * plus the event stream. The preload bridge and the HTTP client both `satisfies Api`.
 */
export type Api = { [K in HandlerName]: (...args: Arg<K>) => Promise<Result<Value<K>>> } & {
  /** Listen to the event stream; returns an unsubscribe function. */
  subscribe(listener: (message: EventMessage) => void): () => void;
};

/** IPC channel names (Electron). */
export const IPC_PREFIX = 'quire:';
export const IPC_EVENT_CHANNEL = 'quire:event';
/** Desktop-only calls (not part of the HTTP API): reveal or open a document's source file. */
export const DESKTOP_CHANNELS = { showInFolder: 'quire-desktop:showInFolder', openFile: 'quire-desktop:openFile' } as const;
