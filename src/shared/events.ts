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
  /**
   * A job's attempt ended: completed, failed for good, or back to pending for a retry (status
   * pending, with the kind and message of the failed attempt). `pages` and `reused` are known for
   * a completion seen by the pool that ran it.
   */
  jobFinished: {
    jobId: string;
    path: string;
    status: JobStatus;
    kind: string | null;
    message: string | null;
    pages?: number;
    reused?: boolean;
  };
  watcherStatus: { available: boolean; folders: WatchedFolder[] };
  /**
   * A watcher decided about a file in a watched folder: enqueued (a new job), already_queued,
   * touched (same content), moved, restored, unsupported or vanished. Unchanged files are not told.
   */
  watchedFile: { path: string; outcome: 'enqueued' | 'requeued' | 'already_queued' | 'touched' | 'moved' | 'restored' | 'unsupported' | 'vanished' };
  ingestProgress: IngestProgress;
  /** Documents written so far by an exportDocuments call (`id` correlates), and once more when done. */
  exportProgress: { id: string; documents: number; done: boolean };
  /**
   * The queue database stopped accepting writes (disk full, read-only, PostgreSQL unreachable:
   * ok false) or accepts them again (ok true). Processing waits meanwhile; nothing is dropped.
   */
  storageStatus: { ok: boolean; message: string };
  /**
   * Processing cannot go on in this host, with a sentence saying why: OCR workers cannot start
   * (engine missing, broken install; the pool keeps trying with backoff), or the queue database
   * is damaged (no new job starts until it is repaired).
   */
  fatal: { message: string };
}

export type EventName = keyof Events;

export const EVENT_NAMES = [
  'statsChanged',
  'jobProgress',
  'jobFinished',
  'watcherStatus',
  'watchedFile',
  'ingestProgress',
  'exportProgress',
  'storageStatus',
  'fatal',
] as const satisfies readonly EventName[];

// Fails to compile when an event is missing from EVENT_NAMES.
type MissingEvent = Exclude<EventName, (typeof EVENT_NAMES)[number]>;
export const _allEventsNamed: [MissingEvent] extends [never] ? true : MissingEvent = true;

/** One event on the wire. */
export type EventMessage = { [E in EventName]: { event: E; data: Events[E] } }[EventName];

export type Emit = <E extends EventName>(event: E, data: Events[E]) => void;
