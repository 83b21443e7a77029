/** Words for job states and error kinds, as a person reads them. */
import type { JobListRow, JobStatus } from '../../../ipc/contract';
import { ERROR_KIND_MESSAGES } from '../../../ipc/contract';

export const STATUS_LABELS: Record<JobStatus, string> = {
  pending: 'Pending',
  processing: 'Processing',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * A status with its kind in words: "Failed (corrupt file)", "Cancelled (file missing)"; a job a
 * person cancelled is just "Cancelled" (its kind says nothing more).
 */
export function statusText(status: JobStatus, kind: string | null): string {
  return STATUS_LABELS[status] + (kind && !(status === 'cancelled' && kind === 'cancelled') ? ` (${kindLabel(kind)})` : '');
}

/** The kind in words under a status, or '' when it would only repeat the status. */
export function kindNote(status: JobStatus, kind: string | null): string {
  return kind && !(status === 'cancelled' && kind === 'cancelled') ? kindLabel(kind) : '';
}

/** "corrupt_file" -> "corrupt file": the kind's name in words, never cut. */
export function kindLabel(kind: string): string {
  return kind.replace(/_/g, ' ');
}

export function kindReason(kind: string | null): string | null {
  return kind && kind in ERROR_KIND_MESSAGES ? ERROR_KIND_MESSAGES[kind as keyof typeof ERROR_KIND_MESSAGES] : null;
}

/** Time the job took (or has taken so far); null when it never started. */
export function jobDuration(r: Pick<JobListRow, 'status' | 'processingTimeMs' | 'startedAt' | 'completedAt'>, now: number): number | null {
  if (r.processingTimeMs !== null && r.processingTimeMs > 0) return r.processingTimeMs;
  if (r.startedAt === null) return null;
  if (r.status === 'processing') return Math.max(0, now - r.startedAt);
  if (r.completedAt !== null && r.completedAt >= r.startedAt) return r.completedAt - r.startedAt;
  return null;
}

export function shortDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.max(0.1, Math.round(ms / 100) / 10).toFixed(1)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const m = Math.floor(ms / 60_000);
  if (m < 60) return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
