/**
 * The UI's read-side queries on SQLite: the jobs table (keyset pagination, never OFFSET, so page
 * 5,000 of a million rows costs what page 1 costs), failure groups, pages, search, workers and
 * throughput. The jobs query is built from a handful of fixed shapes; statements are cached per
 * shape so each shape is prepared once.
 */
import type Database from 'better-sqlite3';
import { isErrorKind, QuireError } from '../../../shared/errors';
import type { FailureGroup, JobListQuery, JobListRow, JobPage, SearchHit } from '../../../shared/listings';
import type { MinuteCount } from '../../../shared/stats';
import { type JobListRaw, toRow } from '../rows';


const COLUMNS = `q.rowid AS rid, q.id, q.document_id, d.path, q.status, q.priority, q.attempts, q.max_attempts,
  q.created_at, q.started_at, q.completed_at, q.error_kind, q.error_message, q.file_size, q.processing_time_ms,
  q.worker_id, q.progress_page, q.progress_pages`;

export const MAX_PAGE = 1000;
/** Below this many matching paths, a path search collects the documents first (see listJobs). */
const PATH_PROBE = 2000;


type Cursor = [number] | [string, number];

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(s: string, byPath: boolean): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(c)) {
      if (!byPath && c.length === 1 && Number.isInteger(c[0])) return [c[0] as number];
      if (byPath && c.length === 2 && typeof c[0] === 'string' && Number.isInteger(c[1])) return [c[0], c[1] as number];
    }
  } catch {
    // fall through to the error below
  }
  throw new QuireError('invalid_cursor', 'The page cursor is not valid for this sort order; reload the list.');
}

/** `folder` as a half-open range of paths, so the unique index on documents.path answers it. */
export function folderRange(folder: string): [string, string] {
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  let f = folder;
  while (f.length > 1 && f.endsWith(sep)) f = f.slice(0, -1);
  const lo = f.endsWith(sep) ? f : f + sep;
  return [lo, lo.slice(0, -1) + String.fromCharCode(sep.charCodeAt(0) + 1)];
}

function likeContains(s: string): string {
  return '%' + s.replace(/[\\%_]/g, (m) => '\\' + m) + '%';
}

/**
 * People type words, not FTS5 syntax: each word is quoted (so AND, OR, NEAR, quotes and colons are
 * just text) and all are required; a trailing * keeps prefix search (bil* finds bilby).
 */
export function ftsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}_]+\*?/gu);
  if (!words || words.length === 0) return null;
  return words.map((w) => (w.endsWith('*') ? `"${w.slice(0, -1)}"*` : `"${w}"`)).join(' ');
}

export class SqliteListings {
  private readonly cache = new Map<string, Database.Statement>();
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      pathMatches: db.prepare<[string], { n: number }>(
        `SELECT count(*) AS n FROM (SELECT 1 FROM documents WHERE path LIKE ? ESCAPE '\\' LIMIT ${PATH_PROBE})`,
      ),
      failureGroups: db.prepare<[], { kind: string | null; n: number }>(
        `SELECT error_kind AS kind, COUNT(*) AS n FROM ocr_queue WHERE status = 'failed'
         GROUP BY error_kind ORDER BY n DESC, error_kind`,
      ),
      pages: db.prepare<[string], { page_no: number; text: string; confidence: number | null; source: 'ocr' | 'text_layer' }>(
        'SELECT page_no, text, confidence, source FROM document_pages WHERE document_id = ? ORDER BY page_no',
      ),
      search: db.prepare<[string, number], { id: string; path: string; page_count: number | null; snip: string }>(
        `SELECT d.id, d.path, d.page_count, snippet(documents_fts, 0, char(2), char(3), '…', 16) AS snip
         FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid
         WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?`,
      ),
      processing: db.prepare<[], JobListRaw>(
        `SELECT ${COLUMNS} FROM ocr_queue q JOIN documents d ON d.id = q.document_id
         WHERE q.status = 'processing' ORDER BY q.started_at`,
      ),
      throughput: db.prepare<[number], { minute: number; completed: number }>(
        'SELECT minute, completed FROM queue_minute_stats WHERE minute >= ? AND completed > 0 ORDER BY minute',
      ),
    };
  }

  listJobs(q: JobListQuery): JobPage {
    const byPath = q.sort === 'path_asc' || q.sort === 'path_desc';
    const desc = q.sort === 'created_desc' || q.sort === 'path_desc';
    const limit = Math.max(1, Math.min(MAX_PAGE, Math.trunc(q.limit)));
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: limit + 1 };
    if (q.status) {
      where.push('q.status = @status');
      params.status = q.status;
    }
    if (q.kind) {
      if (!isErrorKind(q.kind)) throw new QuireError('invalid_argument', `Unknown error kind "${String(q.kind)}".`);
      where.push('q.error_kind = @kind');
      params.kind = q.kind;
    }
    if (q.folder) {
      const [lo, hi] = folderRange(q.folder);
      where.push('d.path >= @lo AND d.path < @hi');
      params.lo = lo;
      params.hi = hi;
    }
    if (q.pathSearch) {
      params.like = likeContains(q.pathSearch);
      // A substring cannot use an index. When many paths match, walking jobs in order and testing
      // each path finds a page at once; when few match, that walk reads every job (1M: ~3 s), so
      // collect the few matching documents first (1M: ~0.3 s). A bounded count tells which case.
      const few = this.s.pathMatches.get(params.like as string)!.n < PATH_PROBE;
      where.push(few ? `q.document_id IN (SELECT id FROM documents WHERE path LIKE @like ESCAPE '\\')` : `d.path LIKE @like ESCAPE '\\'`);
    }
    const cmp = desc ? '<' : '>';
    if (q.after) {
      const c = decodeCursor(q.after, byPath);
      if (byPath) {
        where.push(`(d.path ${cmp} @cpath OR (d.path = @cpath AND q.rowid ${cmp} @crid))`);
        params.cpath = c[0];
        params.crid = c[1];
      } else {
        where.push(`q.rowid ${cmp} @crid`);
        params.crid = c[0];
      }
    }
    const dir = desc ? 'DESC' : 'ASC';
    const order = byPath ? `d.path ${dir}, q.rowid ${dir}` : `q.rowid ${dir}`;
    const sql = `SELECT ${COLUMNS} FROM ocr_queue q JOIN documents d ON d.id = q.document_id
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY ${order} LIMIT @limit`;
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.cache.set(sql, stmt);
    }
    const raw = stmt.all(params) as JobListRaw[];
    const more = raw.length > limit;
    if (more) raw.pop();
    const last = raw[raw.length - 1];
    return {
      rows: raw.map(toRow),
      next: more && last ? encodeCursor(byPath ? [last.path, last.rid] : [last.rid]) : null,
    };
  }

  failureGroups(): FailureGroup[] {
    return this.s.failureGroups.all().map((r) => ({ kind: isErrorKind(r.kind) ? r.kind : null, count: r.n }));
  }

  search(text: string, limit: number): SearchHit[] {
    const match = ftsQuery(text);
    if (!match) return [];
    return this.s.search.all(match, Math.max(1, Math.min(200, Math.trunc(limit)))).map((r) => ({
      documentId: r.id,
      path: r.path,
      snippet: r.snip,
      pageCount: r.page_count,
    }));
  }

  listProcessing(): JobListRow[] {
    return this.s.processing.all().map(toRow);
  }

  throughput(sinceMinute: number): MinuteCount[] {
    return this.s.throughput.all(sinceMinute);
  }
}
