/** Queue statistics: the seed's keys plus Quire's, and the throughput series. */

export interface QueueStats {
  // The seed's keys, exactly.
  pending: number;
  processing: number;
  failed: number;
  completed_today: number;
  avg_wait_time_minutes: number;
  oldest_pending_minutes: number;
  // Ours.
  completed: number;
  cancelled: number;
  completed_last_hour: number;
  paused: boolean;
  /** Jobs being processed now, with page progress ("page 3 of 40"); at most IN_PROGRESS_LIMIT, oldest first. */
  in_progress: InProgressJob[];
}

export const IN_PROGRESS_LIMIT = 64;

export interface InProgressJob {
  jobId: string;
  documentId: string;
  path: string;
  workerId: string | null;
  startedAt: number | null;
  heartbeatAt: number | null;
  attempts: number;
  page: number | null;
  pages: number | null;
}

export interface MinuteCount {
  minute: number; // floor(ms / 60000)
  completed: number;
}
