/**
 * The event stream every host pushes to its front ends (SSE over HTTP, `quire:event` over IPC, the
 * CLI in-process). Plain data only. The names are listed once, here.
 */
import type { JobStatus } from './jobs';
import type { QueueStats } from './stats';
import type { WatchedFolder } from './views';

export interface IngestProgress {
  /** Correlates with the addPaths call that started it. */
  id: string;
  seen: number;
  enqueued: number;
  unchanged: number;
  unsupported: number;
  unreadable: number;
  done: boolean;
}

export interface Events {
  statsChanged: QueueStats;
  jobProgress: { jobId: string; path: string; workerId: string | null; page: number | null; pages: number | null };
  jobFinished: { jobId: string; path: string; status: JobStatus; kind: string | null; message: string | null };
  watcherStatus: { available: boolean; folders: WatchedFolder[] };
  ingestProgress: IngestProgress;
  /**
   * The queue database stopped accepting writes (disk full, read-only, PostgreSQL unreachable:
   * ok false) or accepts them again (ok true). Processing waits meanwhile; nothing is dropped.
   */
  storageStatus: { ok: boolean; message: string };
}

export type EventName = keyof Events;

export const EVENT_NAMES = [
  'statsChanged',
  'jobProgress',
  'jobFinished',
  'watcherStatus',
  'ingestProgress',
  'storageStatus',
] as const satisfies readonly EventName[];

// Fails to compile when an event is missing from EVENT_NAMES.
type MissingEvent = Exclude<EventName, (typeof EVENT_NAMES)[number]>;
export const _allEventsNamed: [MissingEvent] extends [never] ? true : MissingEvent = true;

/** One event on the wire. */
export type EventMessage = { [E in EventName]: { event: E; data: Events[E] } }[EventName];

export type Emit = <E extends EventName>(event: E, data: Events[E]) => void;
