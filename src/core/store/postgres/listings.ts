/**
 * The UI's read-side queries on PostgreSQL, the twin of sqlite/listings.ts: the jobs table with
 * keyset pagination (ocr_queue.seq plays SQLite's rowid, so cursors have the same shape and
 * order), failure groups, processing rows, throughput and full-text search.
 */
import { isErrorKind, QuireError } from '../../../shared/errors';
import { encodeCursor, folderRange, MAX_PAGE } from '../sqlite/listings';
import type { FailureGroup, JobListQuery, JobListRow, JobPage, SearchHit } from '../../../shared/listings';
import type { MinuteCount } from '../../../shared/stats';
import type { PgContext } from './context';
import { type JobListRaw, toRow } from '../rows';


const COLUMNS = `q.seq AS rid, q.id, q.document_id, d.path, q.status, q.priority, q.attempts, q.max_attempts,
  q.created_at, q.started_at, q.completed_at, q.error_kind, q.error_message, q.file_size, q.processing_time_ms,
  q.worker_id, q.progress_page, q.progress_pages`;


type Cursor = [number] | [string, number];

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

/**
 * SQLite's LIKE is case-insensitive for ASCII letters only; lower() on both sides with the
 * "C" collation does the same here (non-ASCII letters compare as they are). \ escapes % and _.
 */
function likeContains(s: string): string {
  return '%' + s.replace(/[A-Z]/g, (m) => m.toLowerCase()).replace(/[\\%_]/g, (m) => '\\' + m) + '%';
}

/**
 * The same rule as sqlite/listings.ts ftsQuery: people type words, not query syntax. Every word
 * is a quoted lexeme (operators and punctuation are just text), all are required, and a trailing
 * * keeps prefix search. The 'simple' configuration lowercases like FTS5's unicode61 tokenizer
 * (no stemming); it does not remove diacritics as unicode61 does.
 */
export function tsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}_]+\*?/gu);
  if (!words || words.length === 0) return null;
  return words
    .map((w) => {
      const prefix = w.endsWith('*');
      const lexeme = `'${prefix ? w.slice(0, -1) : w}'`; // the 'simple' dictionary lowercases it as it does the text
      return prefix ? `${lexeme}:*` : lexeme;
    })
    .join(' & ');
}

/** Snippets as FTS5's snippet(…, char(2), char(3), '…', 16): one fragment of at most 16 words. */
const HEADLINE_OPTIONS = 'StartSel=\u0002, StopSel=\u0003, MaxWords=16, MinWords=6, MaxFragments=1, FragmentDelimiter=" … "';

/** The tsquery is spelled out in each place (not a CTE) so the planner sees it and uses the GIN index. */
const SEARCH = `SELECT id, path, page_count, ts_headline('simple', ocr_text, to_tsquery('simple', $1), $3) AS snip
  FROM (SELECT id, path, page_count, ocr_text, ts_rank(to_tsvector('simple', ocr_text), to_tsquery('simple', $1)) AS rank
        FROM documents
        WHERE ocr_text IS NOT NULL AND to_tsvector('simple', ocr_text) @@ to_tsquery('simple', $1)
        ORDER BY rank DESC, path LIMIT $2) d
  ORDER BY rank DESC, path`;

const FAILURE_GROUPS = `SELECT error_kind AS kind, count(*)::bigint AS n FROM ocr_queue WHERE status = 'failed'
  GROUP BY error_kind ORDER BY n DESC, error_kind COLLATE "C" NULLS FIRST`;

const PROCESSING = `SELECT ${COLUMNS} FROM ocr_queue q JOIN documents d ON d.id = q.document_id
  WHERE q.status = 'processing' ORDER BY q.started_at`;

/** Folded minutes plus the deltas not folded yet (see quire_compact_stats). */
const THROUGHPUT = `SELECT minute, sum(completed)::bigint AS completed FROM (
    SELECT minute, completed FROM queue_minute_stats WHERE minute >= $1
    UNION ALL SELECT minute, completed FROM queue_minute_deltas WHERE minute >= $1) m
  GROUP BY minute HAVING sum(completed) > 0 ORDER BY minute`;

/** Below this many matching paths, a path search collects the documents first (see listJobs). */
const PATH_PROBE = 2000;
const PATH_MATCHES = `SELECT id FROM documents WHERE lower(path) LIKE $1 LIMIT ${PATH_PROBE}`;

export class PgListings {
  constructor(private readonly c: PgContext) {}

  async listJobs(query: JobListQuery): Promise<JobPage> {
    const byPath = query.sort === 'path_asc' || query.sort === 'path_desc';
    const desc = query.sort === 'created_desc' || query.sort === 'path_desc';
    const limit = Math.max(1, Math.min(MAX_PAGE, Math.trunc(query.limit)));
    const where: string[] = [];
    const params: unknown[] = [limit + 1];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (query.status) where.push(`q.status = ${p(query.status)}`);
    if (query.kind) {
      if (!isErrorKind(query.kind)) throw new QuireError('invalid_argument', `Unknown error kind "${String(query.kind)}".`);
      where.push(`q.error_kind = ${p(query.kind)}`);
    }
    if (query.folder) {
      const [lo, hi] = folderRange(query.folder);
      where.push(`d.path >= ${p(lo)} AND d.path < ${p(hi)}`);
    }
    if (query.pathSearch) {
      const like = likeContains(query.pathSearch);
      // As on SQLite: a substring cannot use an index. When many paths match, walking jobs in
      // order and testing each path fills a page at once; when few match, that walk reads every
      // job (1M: ~2 s measured), so take the few matching documents (found by a bounded scan)
      // and their jobs by document id.
      const ids = (await this.c.read<{ id: string }>(PATH_MATCHES, [like])).rows.map((r) => r.id);
      where.push(ids.length < PATH_PROBE ? `q.document_id = ANY(${p(ids)}::text[])` : `lower(d.path) LIKE ${p(like)}`);
    }
    const cmp = desc ? '<' : '>';
    if (query.after) {
      const cur = decodeCursor(query.after, byPath);
      if (byPath) {
        // The leading range on d.path alone lets the path index start at the cursor (a row
        // comparison across the two tables would not); jobs of one path are ordered by seq.
        const path = p(cur[0]);
        where.push(`d.path ${cmp}= ${path} AND (d.path ${cmp} ${path} OR q.seq ${cmp} ${p(cur[1])})`);
      } else {
        where.push(`q.seq ${cmp} ${p(cur[0])}`);
      }
    }
    const dir = desc ? 'DESC' : 'ASC';
    const order = byPath ? `d.path ${dir}, q.seq ${dir}` : `q.seq ${dir}`;
    const sql = `SELECT ${COLUMNS} FROM ocr_queue q JOIN documents d ON d.id = q.document_id
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY ${order} LIMIT $1`;
    // Planned for its values each time: how selective a status, kind or path filter is decides
    // between walking an order index and collecting matches first.
    const raw = (await this.c.readPlanned<JobListRaw>(sql, params)).rows;
    const more = raw.length > limit;
    if (more) raw.pop();
    const last = raw[raw.length - 1];
    return {
      rows: raw.map(toRow),
      next: more && last ? encodeCursor(byPath ? [last.path, last.rid] : [last.rid]) : null,
    };
  }

  async failureGroups(): Promise<FailureGroup[]> {
    const rows = (await this.c.read<{ kind: string | null; n: number }>(FAILURE_GROUPS)).rows;
    return rows.map((r) => ({ kind: isErrorKind(r.kind) ? r.kind : null, count: r.n }));
  }

  async search(text: string, limit: number): Promise<SearchHit[]> {
    const query = tsQuery(text);
    if (!query) return [];
    const rows = (
      await this.c.read<{ id: string; path: string; page_count: number | null; snip: string }>(SEARCH, [
        query,
        Math.max(1, Math.min(200, Math.trunc(limit))),
        HEADLINE_OPTIONS,
      ])
    ).rows;
    return rows.map((r) => ({ documentId: r.id, path: r.path, snippet: r.snip, pageCount: r.page_count }));
  }

  async listProcessing(): Promise<JobListRow[]> {
    return (await this.c.read<JobListRaw>(PROCESSING)).rows.map(toRow);
  }

  async throughput(sinceMinute: number): Promise<MinuteCount[]> {
    return (await this.c.read<MinuteCount>(THROUGHPUT, [sinceMinute])).rows;
  }
}
