/**
 * SQLite statements for the files Quire does not read (skipped_files) and the accounting of the
 * documents under a run's paths. SqliteReads delegates here; postgres/skipped.ts is the twin.
 */
import { sep } from 'node:path';
import type Database from 'better-sqlite3';
import type { JobStatus } from '../../../shared/jobs';
import { countsByReason, type PathTally, type SkippedFile, type SkippedList, type SkipReason, type UnfinishedFile } from '../../../shared/skipped';
import type { Clock } from '../../clock';
import type { NewSkippedFile } from '../types';
import { prefixRange } from './watch';

/** Roots without those inside another root (a folder and a file in it count the file once). */
export function outermostRoots(roots: readonly string[]): string[] {
  const unique = [...new Set(roots)];
  const inside = (r: string, p: string) => r !== p && r.startsWith(p.endsWith(sep) ? p : p + sep);
  return unique.filter((r) => !unique.some((p) => inside(r, p))).sort();
}

/** Each root as [exact path, lo, hi]: the path itself, or anything in the prefix range under it. */
export function rootRanges(roots: readonly string[]): [string, string, string][] {
  return outermostRoots(roots).map((r) => [r, ...prefixRange(r)]);
}

export interface SkippedRaw {
  path: string;
  reason: SkipReason;
  message: string;
  seen_at: number;
}

export interface UnfinishedRaw {
  path: string;
  ocr_status: JobStatus;
  ocr_error_kind: string | null;
  ocr_error: string | null;
}

export const toSkipped = (r: SkippedRaw): SkippedFile => ({ path: r.path, reason: r.reason, message: r.message, seenAt: Number(r.seen_at) });
export const toUnfinished = (r: UnfinishedRaw): UnfinishedFile => ({
  path: r.path,
  status: r.ocr_status,
  errorKind: r.ocr_error_kind,
  errorMessage: r.ocr_error,
});
export const emptyCounts = (): Record<JobStatus, number> => ({ pending: 0, processing: 0, completed: 0, failed: 0, cancelled: 0 });

/** Per-root results merged: by path, cut at `limit`. */
export function firstByPath<T extends { path: string }>(lists: T[][], limit: number): T[] {
  return lists
    .flat()
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .slice(0, limit);
}

const UNDER = '(path = ? OR (path >= ? AND path < ?))';
/** A failure the user dismissed: the document stays failed, its failed job row is gone. */
const DISMISSED = `(ocr_status = 'failed' AND NOT EXISTS (SELECT 1 FROM ocr_queue q WHERE q.document_id = documents.id AND q.status = 'failed'))`;
const STATUS_OR_DISMISSED = `CASE WHEN ${DISMISSED} THEN 'dismissed' ELSE ocr_status END`;

export class SqliteSkipped {
  private readonly s;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.s = {
      deleteUnder: db.prepare<[string, string, string]>(`DELETE FROM skipped_files WHERE ${UNDER}`),
      upsert: db.prepare(
        `INSERT INTO skipped_files (path, reason, message, seen_at) VALUES (@path, @reason, @message, @now)
         ON CONFLICT (path) DO UPDATE SET reason = excluded.reason, message = excluded.message, seen_at = excluded.seen_at`,
      ),
      countsAll: db.prepare<[], { reason: SkipReason; n: number }>('SELECT reason, COUNT(*) AS n FROM skipped_files GROUP BY reason'),
      countsUnder: db.prepare<[string, string, string], { reason: SkipReason; n: number }>(
        `SELECT reason, COUNT(*) AS n FROM skipped_files WHERE ${UNDER} GROUP BY reason`,
      ),
      firstAll: db.prepare<[number], SkippedRaw>('SELECT * FROM skipped_files ORDER BY path LIMIT ?'),
      firstUnder: db.prepare<[string, string, string, number], SkippedRaw>(`SELECT * FROM skipped_files WHERE ${UNDER} ORDER BY path LIMIT ?`),
      docCounts: db.prepare<[string, string, string], { status: JobStatus | 'dismissed'; n: number }>(
        `SELECT ${STATUS_OR_DISMISSED} AS status, COUNT(*) AS n FROM documents WHERE source_missing = 0 AND ${UNDER} GROUP BY 1`,
      ),
      unfinished: db.prepare<[string, string, string, number], UnfinishedRaw>(
        `SELECT path, ocr_status, ocr_error_kind, ocr_error FROM documents
         WHERE source_missing = 0 AND ocr_status <> 'completed' AND NOT ${DISMISSED} AND ${UNDER} ORDER BY path LIMIT ?`,
      ),
    };
  }

  replaceSkipped(roots: readonly string[], files: readonly NewSkippedFile[]): void {
    const now = this.clock.now();
    this.db
      .transaction(() => {
        for (const r of rootRanges(roots)) this.s.deleteUnder.run(...r);
        for (const f of files) this.s.upsert.run({ path: f.path, reason: f.reason, message: f.message, now });
      })
      .immediate();
  }

  listSkipped(limit: number, roots?: readonly string[]): SkippedList {
    return this.db.transaction((): SkippedList => {
      const counts = new Map<SkipReason, number>();
      const add = (rows: { reason: SkipReason; n: number }[]) => rows.forEach((r) => counts.set(r.reason, (counts.get(r.reason) ?? 0) + r.n));
      let files: SkippedFile[];
      if (roots === undefined) {
        add(this.s.countsAll.all());
        files = this.s.firstAll.all(limit).map(toSkipped);
      } else {
        const ranges = rootRanges(roots);
        for (const r of ranges) add(this.s.countsUnder.all(...r));
        files = firstByPath(ranges.map((r) => this.s.firstUnder.all(...r, limit).map(toSkipped)), limit);
      }
      return summarise(counts, files);
    })();
  }

  tallyUnder(roots: readonly string[], limit: number): PathTally {
    return this.db.transaction((): PathTally => {
      const counts = emptyCounts();
      const ranges = rootRanges(roots);
      let dismissed = 0;
      for (const r of ranges) {
        for (const row of this.s.docCounts.all(...r)) {
          if (row.status === 'dismissed') dismissed += row.n;
          else counts[row.status] += row.n;
        }
      }
      const unfinished = firstByPath(ranges.map((r) => this.s.unfinished.all(...r, limit).map(toUnfinished)), limit);
      return { counts, dismissed, unfinished };
    })();
  }
}

/** The list: counts by reason and the first files. */
export function summarise(counts: Map<SkipReason, number>, files: SkippedFile[]): SkippedList {
  return { ...countsByReason(counts), files };
}
