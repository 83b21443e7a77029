/**
 * `quire migrate-store`: copy a SQLite queue (documents, pages, jobs, settings, minute stats)
 * into a PostgreSQL database. The copy is one PostgreSQL transaction, so a failure leaves the
 * target as it was; the SQLite side is read in one read transaction (a consistent snapshot
 * even while a worker keeps writing; WAL readers do not block it).
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { QuireError } from '../../shared/errors';
import type { JobStatus } from '../../shared/jobs';
import { JOB_STATUSES } from '../../shared/jobs';

type PgType = 'text' | 'bigint' | 'int' | 'float8';

interface TableSpec {
  table: string;
  /** Keyset for paging through SQLite in a stable order (rowid keeps insertion order, which
   * ocr_queue.seq must reproduce: it breaks claim-order ties). */
  key: string[];
  columns: [string, PgType][];
}

const TABLES: TableSpec[] = [
  {
    table: 'documents',
    key: ['rowid'],
    columns: [
      ['id', 'text'], ['path', 'text'], ['size', 'bigint'], ['mtime', 'bigint'], ['content_hash', 'text'],
      ['kind', 'text'], ['added_at', 'bigint'], ['ocr_status', 'text'], ['ocr_error', 'text'],
      ['ocr_error_kind', 'text'], ['ocr_completed_at', 'bigint'], ['page_count', 'int'], ['confidence', 'float8'],
      ['ocr_text', 'text'], ['ocr_engine', 'text'], ['ocr_languages', 'text'], ['processing_time_ms', 'bigint'],
      ['source_missing', 'int'], ['source_missing_since', 'bigint'],
    ],
  },
  {
    table: 'document_pages',
    key: ['document_id', 'page_no'],
    columns: [['document_id', 'text'], ['page_no', 'int'], ['text', 'text'], ['confidence', 'float8'], ['source', 'text']],
  },
  {
    table: 'ocr_queue',
    key: ['rowid'],
    columns: [
      ['id', 'text'], ['document_id', 'text'], ['status', 'text'], ['priority', 'int'], ['attempts', 'int'],
      ['max_attempts', 'int'], ['created_at', 'bigint'], ['started_at', 'bigint'], ['completed_at', 'bigint'],
      ['error_message', 'text'], ['error_kind', 'text'], ['worker_id', 'text'], ['processing_time_ms', 'bigint'],
      ['file_size', 'bigint'], ['run_after', 'bigint'], ['heartbeat_at', 'bigint'], ['progress_page', 'int'],
      ['progress_pages', 'int'], ['languages', 'text'],
    ],
  },
  { table: 'settings', key: ['key'], columns: [['key', 'text'], ['value', 'text']] },
  {
    table: 'queue_minute_stats',
    key: ['minute'],
    columns: [['minute', 'bigint'], ['completed', 'bigint'], ['started', 'bigint'], ['wait_ms', 'bigint']],
  },
  {
    table: 'watched_folders',
    key: ['rowid'],
    columns: [
      ['id', 'text'], ['path', 'text'], ['poll', 'int'], ['ignore_patterns', 'text'], ['output_txt', 'int'],
      ['output_pdf', 'int'], ['output_dir', 'text'], ['state', 'text'], ['state_message', 'text'],
      ['state_changed_at', 'bigint'], ['last_scan_at', 'bigint'], ['added_at', 'bigint'],
      ['languages', 'text'],
    ],
  },
  {
    table: 'skipped_files',
    key: ['path'],
    columns: [['path', 'text'], ['reason', 'text'], ['message', 'text'], ['seen_at', 'bigint']],
  },
];

/** The document columns the job triggers rewrite while jobs are inserted: restored afterwards. */
const DOC_STATUS: TableSpec = {
  table: 'documents',
  key: ['rowid'],
  columns: [['id', 'text'], ['ocr_status', 'text'], ['ocr_error', 'text'], ['ocr_error_kind', 'text'], ['ocr_completed_at', 'bigint']],
};

export interface CopyOptions {
  /** Delete everything in the target first. Without it a non-empty target is refused. */
  force?: boolean;
  batchSize?: number;
  onProgress?: (table: string, rows: number) => void;
}

export type CopyReport = Record<'documents' | 'document_pages' | 'ocr_queue' | 'settings' | 'queue_minute_stats' | 'watched_folders' | 'skipped_files', number>;

function insertSql(spec: TableSpec): string {
  const names = spec.columns.map(([n]) => n);
  const arrays = spec.columns.map(([, t], i) => `$${i + 1}::${t}[]`);
  // WITH ORDINALITY + ORDER BY: rows (and so ocr_queue.seq) keep the source order.
  return `INSERT INTO ${spec.table} (${names.join(', ')})
    SELECT ${names.join(', ')} FROM unnest(${arrays.join(', ')}) WITH ORDINALITY AS t (${names.join(', ')}, ord) ORDER BY ord`;
}

function restoreStatusSql(): string {
  return `UPDATE documents d SET ocr_status = t.ocr_status, ocr_error = t.ocr_error, ocr_error_kind = t.ocr_error_kind,
      ocr_completed_at = t.ocr_completed_at
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) AS t (id, ocr_status, ocr_error, ocr_error_kind, ocr_completed_at)
    WHERE d.id = t.id`;
}

/** Page through a SQLite table by its keyset, handing each page's columns to `write`. */
async function pageThrough(
  src: Database.Database,
  spec: TableSpec,
  batchSize: number,
  write: (columns: unknown[][], rows: number) => Promise<void>,
): Promise<number> {
  const keyAliases = spec.key.map((_, i) => `k${i}`);
  const select = `SELECT ${spec.key.map((k, i) => `${k} AS k${i}`).join(', ')}, ${spec.columns.map(([n]) => n).join(', ')} FROM ${spec.table}`;
  const order = ` ORDER BY ${spec.key.join(', ')} LIMIT ?`;
  const first = src.prepare(select + order);
  const next = src.prepare(`${select} WHERE (${spec.key.join(', ')}) > (${spec.key.map(() => '?').join(', ')})${order}`);
  let last: unknown[] | undefined;
  let total = 0;
  for (;;) {
    const rows = (last ? next.all(...last, batchSize) : first.all(batchSize)) as Record<string, unknown>[];
    if (rows.length === 0) return total;
    await write(spec.columns.map(([n]) => rows.map((r) => r[n] ?? null)), rows.length);
    total += rows.length;
    const tail = rows[rows.length - 1]!;
    last = keyAliases.map((k) => tail[k]);
  }
}

export async function copySqliteToPostgres(src: Database.Database, target: pg.Pool, where: string, opts: CopyOptions = {}): Promise<CopyReport> {
  const batchSize = opts.batchSize ?? 2000;
  const client = await target.connect();
  let broken: Error | undefined;
  src.exec('BEGIN'); // deferred: a read snapshot from the first SELECT on
  try {
    await client.query('BEGIN');
    // Nobody else may write the target while it is being filled.
    await client.query('LOCK TABLE documents, document_pages, ocr_queue, settings, queue_minute_stats, watched_folders, skipped_files IN EXCLUSIVE MODE');
    const existing = (
      await client.query<{ documents: number; jobs: number; settings: number; folders: number }>(
        `SELECT (SELECT count(*) FROM documents)::int AS documents, (SELECT count(*) FROM ocr_queue)::int AS jobs,
           (SELECT count(*) FROM settings)::int AS settings, (SELECT count(*) FROM watched_folders)::int AS folders`,
      )
    ).rows[0]!;
    if (existing.documents + existing.jobs + existing.settings + existing.folders > 0) {
      if (!opts.force) {
        throw new QuireError(
          'target_not_empty',
          `The PostgreSQL database at ${where} already holds a queue (${existing.documents} documents, ${existing.jobs} jobs, ` +
            `${existing.settings} settings, ${existing.folders} watched folders). Nothing was copied. Use --force to delete its contents first and copy anyway.`,
        );
      }
      // TRUNCATE fires no row triggers: reset the counters it would otherwise leave behind.
      await client.query(
        'TRUNCATE document_pages, ocr_queue, documents, settings, queue_minute_stats, queue_minute_deltas, queue_counter_deltas, watched_folders, skipped_files',
      );
      await client.query('UPDATE queue_counters SET n = 0');
    }
    const report = {} as CopyReport;
    for (const spec of TABLES) {
      const sql = insertSql(spec);
      let done = 0;
      report[spec.table as keyof CopyReport] = await pageThrough(src, spec, batchSize, async (cols, n) => {
        await client.query(sql, cols);
        done += n;
        opts.onProgress?.(spec.table, done);
      });
    }
    // Inserting jobs ran the status-mirroring trigger, which clears document errors: put the
    // source's document status back as it was.
    const restore = restoreStatusSql();
    await pageThrough(src, DOC_STATUS, batchSize, async (cols) => {
      await client.query(restore, cols);
    });
    // The trigger-kept counters must agree with the source's: a cheap end-to-end check.
    const want = new Map((src.prepare('SELECT status, n FROM queue_counters').all() as { status: JobStatus; n: number }[]).map((r) => [r.status, r.n]));
    const got = new Map(
      (
        await client.query<{ status: JobStatus; n: number }>(
          `SELECT status, sum(n)::bigint AS n FROM (SELECT status, n FROM queue_counters UNION ALL
             SELECT status, n FROM queue_counter_deltas) c GROUP BY status`,
        )
      ).rows.map((r) => [r.status, Number(r.n)]),
    );
    for (const status of JOB_STATUSES) {
      if ((want.get(status) ?? 0) !== (got.get(status) ?? 0)) {
        throw new QuireError(
          'copy_mismatch',
          `After copying, PostgreSQL counts ${got.get(status) ?? 0} ${status} jobs but SQLite has ${want.get(status) ?? 0}. Nothing was copied.`,
        );
      }
    }
    await client.query('COMMIT');
    return report;
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => {
      broken = e;
    });
    throw err;
  } finally {
    src.exec('COMMIT');
    client.release(broken);
  }
}
