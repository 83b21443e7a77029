/**
 * Files under the paths a person gave (or a watched folder) that Quire does not read, with why:
 * they never become jobs, so without this list they would vanish without a name. Hidden and
 * temporary files (README: "Skipped by ingest without counting") are not in it.
 */
import type { JobStatus } from './jobs';

export type SkipReason = 'unsupported_format' | 'not_a_file' | 'permission_denied' | 'bad_name' | 'unreadable';
export const SKIP_REASONS: readonly SkipReason[] = ['unsupported_format', 'not_a_file', 'permission_denied', 'bad_name', 'unreadable'];

/** A short name for each reason (a heading in the UI). */
export const SKIP_REASON_LABEL: Readonly<Record<SkipReason, string>> = {
  unsupported_format: 'Not a format Quire reads',
  not_a_file: 'Not a regular file',
  permission_denied: 'No permission to read',
  bad_name: 'Name is not UTF-8',
  unreadable: 'Could not be read',
};

/** What each reason means and what to do, for a person. */
export const SKIP_REASON_TEXT: Readonly<Record<SkipReason, string>> = {
  unsupported_format: 'Quire reads images and PDFs (README: What Quire reads): convert it to PDF, PNG, JPEG or TIFF',
  not_a_file: 'FIFOs, sockets and devices are never opened: there is no file to read',
  permission_denied: 'Quire may not read it: give it read permission',
  bad_name: 'its name is not valid UTF-8: rename it',
  unreadable: 'could not be read (a broken link, or it vanished while being read)',
};

export interface NotReadFile {
  path: string;
  reason: SkipReason;
  /** The detail for this file ("not an image or PDF Quire reads (.txt file)"). */
  message: string;
}

export interface SkippedFile extends NotReadFile {
  /** When it was last found so (epoch ms). */
  seenAt: number;
}

export interface SkippedCount {
  reason: SkipReason;
  count: number;
}

/** Files not read by one ingest, counted by reason, with the first ones by path. */
export interface NotReadSummary {
  total: number;
  byReason: SkippedCount[];
  files: NotReadFile[];
}

/** The persisted skipped list, counted by reason, with the first `limit` files by path. */
export interface SkippedList extends NotReadSummary {
  files: SkippedFile[];
}

/** A file under a run's paths that did not complete, with its state and why. */
export interface UnfinishedFile {
  path: string;
  status: JobStatus;
  errorKind: string | null;
  errorMessage: string | null;
}

/** Every document under some paths, counted by state; the ones not completed named (up to a limit). */
export interface PathTally {
  /** Documents by state; a failure the user dismissed is not counted as failed but in `dismissed`. */
  counts: Record<JobStatus, number>;
  /** Failed documents whose failure was dismissed (quire dismiss): accounted for, not listed. */
  dismissed: number;
  unfinished: UnfinishedFile[];
}

/** Counts by reason, largest first (ties by name), with the total. */
export function countsByReason(counts: ReadonlyMap<SkipReason, number>): { total: number; byReason: SkippedCount[] } {
  const byReason = [...counts].map(([reason, count]) => ({ reason, count: Number(count) })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  return { total: byReason.reduce((n, r) => n + r.count, 0), byReason };
}
