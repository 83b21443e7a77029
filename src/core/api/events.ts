/**
 * The event stream every host pushes to the UI (SSE over HTTP, `quire:event` over IPC).
 * Plain data only; no runtime imports, so the renderer can use it too.
 */
import type { JobStatus, QueueStats } from '../store/types';
import type { WatchedFolder } from './seams';

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

/** One event on the wire. */
export type EventMessage = { [E in EventName]: { event: E; data: Events[E] } }[EventName];

export type Emit = <E extends EventName>(event: E, data: Events[E]) => void;
