/**
 * The one API contract shared by Electron IPC (main/preload), HTTP (server) and the CLI, and used
 * by the renderer through a single client. The handler types are derived from the implementations
 * (src/core/api/handlers.ts, imported for its types only), so the contract cannot drift from what
 * runs. Handler and event names are listed once (here and in src/shared/events.ts); the preload
 * bridge and the HTTP client are built from these lists.
 *
 * The renderer imports this folder and nothing else outside its own: every word it needs from the
 * shared vocabulary is re-exported here.
 */
import type { ApiHandlers } from '../core/api/handlers';
import type { EventMessage } from '../shared/events';
import type { Result } from '../shared/result';

export type Handlers = ApiHandlers;
export type HandlerName = keyof Handlers;
export type { ApiError, Result } from '../shared/result';
export type { EventMessage, EventName, Events, IngestProgress } from '../shared/events';
export { EVENT_NAMES } from '../shared/events';
export type {
  DocumentView,
  FailureGroupView,
  IngestSummary,
  PageImage,
  SettingsUpdate,
  SettingView,
  WatchedFolder,
  WatchFolderOptions,
  WorkersView,
  WorkerView,
  PowerView,
  DocumentText,
  ExportFormat,
  ExportSummary,
  RequeueSummary,
} from '../shared/views';
export { EXPORT_FORMATS } from '../shared/views';
export type { DocumentRow, JobRow, JobStatus } from '../shared/jobs';
export { JOB_STATUSES } from '../shared/jobs';
export type { FailureGroup, FailureRow, InstalledLanguage, JobListQuery, JobListRow, JobPage, JobSort, SearchHit } from '../shared/listings';
export { JOB_SORTS } from '../shared/listings';
export type { PageResult } from '../shared/results';
export type { HostWorkers, InProgressJob, MinuteCount, QueueStats } from '../shared/stats';
export { describeWorkers } from '../shared/stats';
export type { ErrorKind } from '../shared/errors';
export { ERROR_KIND_MESSAGES, ERROR_KINDS, failureRemedy } from '../shared/errors';
export type { FailureRemedy } from '../shared/errors';
export type { SkippedFile, SkippedList, SkipReason } from '../shared/skipped';
export { SKIP_REASON_LABEL, SKIP_REASON_TEXT } from '../shared/skipped';

/** Every handler's name, in the order the docs list them. Checked against the handlers' type below. */
export const HANDLER_NAMES = [
  'stats',
  'throughput',
  'workers',
  'listJobs',
  'failureGroups',
  'document',
  'pageImage',
  'search',
  'watchedFolders',
  'settings',
  'languages',
  'exportFailuresCsv',
  'failures',
  'skippedFiles',
  'accountFor',
  'text',
  'exportDocuments',
  'addPaths',
  'requeue',
  'requeueFailed',
  'dismissFailures',
  'removeDocuments',
  'cancel',
  'pause',
  'resume',
  'setConcurrency',
  'power',
  'runFullSpeedNow',
  'endFullSpeed',
  'addWatchedFolder',
  'removeWatchedFolder',
  'updateSettings',
] as const satisfies readonly HandlerName[];

// Fails to compile when a handler is missing from HANDLER_NAMES.
type Missing = Exclude<HandlerName, (typeof HANDLER_NAMES)[number]>;
export const _allNamed: [Missing] extends [never] ? true : Missing = true;

export function isHandlerName(name: string): name is HandlerName {
  return (HANDLER_NAMES as readonly string[]).includes(name);
}

export type Arg<K extends HandlerName> = Parameters<Handlers[K]>;
export type Value<K extends HandlerName> = Awaited<ReturnType<Handlers[K]>>;

/** Generic call, for code that picks the handler by name. */
export interface Invoke {
  <K extends HandlerName>(name: K, ...args: Arg<K>): Promise<Result<Value<K>>>;
}

/**
 * What a transport gives the renderer: one named method per handler, each answering a Result,
 * plus the event stream. The preload bridge and the HTTP client are both built by `buildApi`.
 */
export type Api = { [K in HandlerName]: (...args: Arg<K>) => Promise<Result<Value<K>>> } & {
  /** Listen to the event stream; returns an unsubscribe function. */
  subscribe(listener: (message: EventMessage) => void): () => void;
};

/**
 * One method per name in HANDLER_NAMES, each passing its single argument to `call`. A transport
 * supplies only how a call and the event stream travel.
 */
export function buildApi(
  call: (name: HandlerName, arg: unknown) => Promise<Result<unknown>>,
  subscribe: (listener: (message: EventMessage) => void) => () => void,
): Api {
  const methods: Record<string, (arg?: unknown) => Promise<Result<unknown>>> = {};
  for (const name of HANDLER_NAMES) methods[name] = (arg?: unknown) => call(name, arg);
  // Each method answers what its handler answers: the cast states what the loop above builds.
  return { ...methods, subscribe } as unknown as Api;
}

/** IPC channel names (Electron). */
export const IPC_PREFIX = 'quire:';
export const IPC_EVENT_CHANNEL = 'quire:event';
/** Desktop-only calls (not part of the HTTP API): reveal or open a document's source file. */
export const DESKTOP_CHANNELS = { showInFolder: 'quire-desktop:showInFolder', openFile: 'quire-desktop:openFile' } as const;
