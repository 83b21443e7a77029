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
  /** OCR workers the running hosts allow now (battery, idle, schedule), summed; null when no host runs a pool. */
  workersAllowed: number | null;
  /** Why fewer workers than full speed run, e.g. "1 of 4 workers: on battery (43%)"; null at full speed or with no host. */
  throttleReason: string | null;
  /** Each running host's decision (with PostgreSQL several machines may differ). */
  hosts: HostWorkers[];
}

/** What one running host allows now; written by the host, read by `quire stats` in any process. */
export interface HostWorkers {
  /** hostname/pid of the host process. */
  hostId: string;
  workersAllowed: number;
  /** The count at full speed ("1 of 4 workers"). */
  fullWorkers: number;
  /** null at full speed. */
  throttleReason: string | null;
}

/** A host that has not written its row for this long is taken as gone (it writes every few seconds). */
export const HOST_WORKERS_FRESH_MS = 30_000;

/** The hosts' rows as the stats' workersAllowed and throttleReason (one host: its own reason; several: each throttled one named). */
export function summarizeHosts(hosts: readonly HostWorkers[]): Pick<QueueStats, 'workersAllowed' | 'throttleReason' | 'hosts'> {
  if (hosts.length === 0) return { workersAllowed: null, throttleReason: null, hosts: [] };
  const workersAllowed = hosts.reduce((n, h) => n + h.workersAllowed, 0);
  const throttled = hosts.filter((h) => h.throttleReason !== null);
  let throttleReason: string | null = null;
  if (hosts.length === 1) throttleReason = hosts[0]!.throttleReason;
  else if (throttled.length > 0) throttleReason = throttled.map((h) => `${h.hostId}: ${h.throttleReason}`).join('; ');
  return { workersAllowed, throttleReason, hosts: [...hosts] };
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

/**
 * The workers line of `quire stats`, the Dashboard and the tray tooltip: the reason while the
 * power policy limits the workers ("1 of 4 workers: on battery (43%)"), else the count at full
 * speed; with several hosts, the sum and how many are limited. Null when no host runs workers.
 */
export function describeWorkers(s: Pick<QueueStats, 'workersAllowed' | 'throttleReason' | 'hosts'>): string | null {
  if (s.workersAllowed === null) return null;
  const n = (k: number) => `${k} worker${k === 1 ? '' : 's'}`;
  if (s.hosts.length <= 1) return s.throttleReason ?? `${n(s.workersAllowed)} at full speed`;
  const limited = s.hosts.filter((h) => h.throttleReason !== null).length;
  return `${n(s.workersAllowed)} on ${s.hosts.length} hosts, ${limited ? `${limited} limited: ${s.throttleReason}` : 'all at full speed'}`;
}
