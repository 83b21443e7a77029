/**
 * The files Quire does not read (skipped_files) and the accounting of the documents under a run's
 * paths, on PostgreSQL: the twin of sqlite/skipped.ts. Each root is the path itself or a range on
 * the COLLATE "C" primary key / unique path index; PgReads delegates here.
 */
import type { JobStatus } from '../../../shared/jobs';
import type { PathTally, SkippedList, SkipReason } from '../../../shared/skipped';
import {
  emptyCounts,
  firstByPath,
  rootRanges,
  type SkippedRaw,
  summarise,
  toSkipped,
  toUnfinished,
  type UnfinishedRaw,
} from '../sqlite/skipped';
import type { NewSkippedFile } from '../types';
import type { PgContext } from './context';

const UNDER = '(path = $1 OR (path >= $2 AND path < $3))';
/** Every root in one statement (a watcher's batch names each enqueued file as a root). */
const DELETE_UNDER_ANY = `DELETE FROM skipped_files s USING unnest($1::text[], $2::text[], $3::text[]) AS r (p, lo, hi)
  WHERE s.path = r.p OR (s.path >= r.lo AND s.path < r.hi)`;
const UPSERT = `INSERT INTO skipped_files (path, reason, message, seen_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS t (path, reason, message), (SELECT $4::bigint) AS n (seen_at)
  ON CONFLICT (path) DO UPDATE SET reason = excluded.reason, message = excluded.message, seen_at = excluded.seen_at`;
const COUNTS_ALL = 'SELECT reason, COUNT(*)::int AS n FROM skipped_files GROUP BY reason';
const COUNTS_UNDER = `SELECT reason, COUNT(*)::int AS n FROM skipped_files WHERE ${UNDER} GROUP BY reason`;
const FIRST_ALL = 'SELECT * FROM skipped_files ORDER BY path LIMIT $1';
const FIRST_UNDER = `SELECT * FROM skipped_files WHERE ${UNDER} ORDER BY path LIMIT $4`;
/** A failure the user dismissed: the document stays failed, its failed job row is gone. */
const DISMISSED = `(ocr_status = 'failed' AND NOT EXISTS (SELECT 1 FROM ocr_queue q WHERE q.document_id = documents.id AND q.status = 'failed'))`;
const DOC_COUNTS = `SELECT CASE WHEN ${DISMISSED} THEN 'dismissed' ELSE ocr_status END AS status, COUNT(*)::int AS n
  FROM documents WHERE source_missing = 0 AND ${UNDER} GROUP BY 1`;
const UNFINISHED = `SELECT path, ocr_status, ocr_error_kind, ocr_error FROM documents
  WHERE source_missing = 0 AND ocr_status <> 'completed' AND NOT ${DISMISSED} AND ${UNDER} ORDER BY path LIMIT $4`;

/** Rows per INSERT: unnest keeps each statement one round trip, whatever the count. */
const CHUNK = 5000;

export class PgSkipped {
  constructor(private readonly c: PgContext) {}

  async replaceSkipped(roots: readonly string[], files: readonly NewSkippedFile[]): Promise<void> {
    const now = this.c.now();
    // The same path twice in one INSERT ... ON CONFLICT is an error: keep the last.
    const unique = [...new Map(files.map((f) => [f.path, f])).values()];
    await this.c.tx(async (q) => {
      const ranges = rootRanges(roots);
      if (ranges.length) await q.query(DELETE_UNDER_ANY, [ranges.map((r) => r[0]), ranges.map((r) => r[1]), ranges.map((r) => r[2])]);
      for (let i = 0; i < unique.length; i += CHUNK) {
        const part = unique.slice(i, i + CHUNK);
        await q.query(UPSERT, [part.map((f) => f.path), part.map((f) => f.reason), part.map((f) => f.message), now]);
      }
    });
  }

  async listSkipped(limit: number, roots?: readonly string[]): Promise<SkippedList> {
    const counts = new Map<SkipReason, number>();
    const add = (rows: { reason: SkipReason; n: number }[]) => rows.forEach((r) => counts.set(r.reason, (counts.get(r.reason) ?? 0) + r.n));
    if (roots === undefined) {
      add((await this.c.read<{ reason: SkipReason; n: number }>(COUNTS_ALL)).rows);
      return summarise(counts, (await this.c.read<SkippedRaw>(FIRST_ALL, [limit])).rows.map(toSkipped));
    }
    const lists = [];
    for (const r of rootRanges(roots)) {
      add((await this.c.read<{ reason: SkipReason; n: number }>(COUNTS_UNDER, r)).rows);
      lists.push((await this.c.read<SkippedRaw>(FIRST_UNDER, [...r, limit])).rows.map(toSkipped));
    }
    return summarise(counts, firstByPath(lists, limit));
  }

  async tallyUnder(roots: readonly string[], limit: number): Promise<PathTally> {
    const counts = emptyCounts();
    const lists = [];
    let dismissed = 0;
    for (const r of rootRanges(roots)) {
      for (const row of (await this.c.read<{ status: JobStatus | 'dismissed'; n: number }>(DOC_COUNTS, r)).rows) {
        if (row.status === 'dismissed') dismissed += row.n;
        else counts[row.status] += row.n;
      }
      lists.push((await this.c.read<UnfinishedRaw>(UNFINISHED, [...r, limit])).rows.map(toUnfinished));
    }
    return { counts, dismissed, unfinished: firstByPath(lists, limit) };
  }
}
