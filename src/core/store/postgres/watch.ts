/**
 * Watched folders and the "source missing" state of documents on PostgreSQL: the twin of
 * sqlite/watch.ts. Per-path loops there are single set-based statements here (one round trip
 * per call, however many paths). PgJobStore delegates here.
 */
import { randomUUID } from 'node:crypto';
import { QuireError } from '../../../shared/errors';
import { prefixRange } from '../sqlite/watch';
import type {
  DocumentFileFacts,
  DocumentFileRow,
  NewWatchedFolder,
  WatchedFolder,
  WatchedFolderState,
  QueuePolicy,
} from '../types';
import type { PgContext } from './context';
import * as SQL from './sql';
import { type DocFileRaw, type FolderRaw, toDocFile, toFolder } from '../rows';





const FOLDER_COLUMNS = `id, path, poll, ignore_patterns, output_txt, output_pdf, output_dir, state, state_message,
  state_changed_at, last_scan_at, added_at, languages`;
const DOC_FILE_COLUMNS = 'id, path, size, mtime, content_hash, ocr_status, source_missing';

/** The unique path makes a second add a no-op that returns nothing: no check-then-insert race. */
const INSERT_FOLDER = `INSERT INTO watched_folders (id, path, poll, ignore_patterns, output_txt, output_pdf, output_dir, added_at, languages)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (path) DO NOTHING RETURNING ${FOLDER_COLUMNS}`;
const DELETE_FOLDER = 'DELETE FROM watched_folders WHERE path = $1';
const ALL_FOLDERS = `SELECT ${FOLDER_COLUMNS} FROM watched_folders ORDER BY path`;
const SET_STATE = `UPDATE watched_folders SET state = $2, state_message = $3, state_changed_at = $4,
    last_scan_at = CASE WHEN $5::boolean THEN $4 ELSE last_scan_at END
  WHERE path = $1`;
const DOCS_UNDER = `SELECT ${DOC_FILE_COLUMNS} FROM documents WHERE path >= $1 AND path < $2`;
const SET_MISSING = `UPDATE documents SET source_missing = $2,
    source_missing_since = CASE WHEN $2 = 1 THEN $3::bigint ELSE NULL END
  WHERE path = ANY($1::text[]) AND source_missing <> $2`;
const CANCEL_PENDING = `UPDATE ocr_queue SET status = 'cancelled', completed_at = $2, error_kind = 'file_missing',
    error_message = 'The file was deleted or moved before it was processed.'
  WHERE status = 'pending' AND document_id IN (SELECT id FROM documents WHERE path = ANY($1::text[]))`;
const DOCS_BY_HASH = `SELECT ${DOC_FILE_COLUMNS} FROM documents WHERE content_hash = $1
  ORDER BY ocr_status = 'completed' DESC, source_missing DESC, added_at`;
const MISSING_OF_SIZE = 'SELECT 1 FROM documents WHERE source_missing = 1 AND size = $1 LIMIT 1';
const DOC_ID_BY_PATH = 'SELECT id FROM documents WHERE path = $1';
const MOVE_DOC = `UPDATE documents SET path = $2, size = $3, mtime = $4, source_missing = 0, source_missing_since = NULL
  WHERE id = $1`;
const UPDATE_FILES = `UPDATE documents d SET size = t.size, mtime = t.mtime, content_hash = COALESCE(t.hash, d.content_hash),
    source_missing = 0, source_missing_since = NULL
  FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[]) AS t (path, size, mtime, hash)
  WHERE d.path = t.path`;
/** Documents at these paths without a live job, locked so a concurrent requeue or enqueue waits. */
const REQUEUE_CANDIDATES = `SELECT d.id, d.size FROM documents d
  WHERE d.path = ANY($1::text[])
    AND NOT EXISTS (SELECT 1 FROM ocr_queue q WHERE q.document_id = d.id AND q.status IN ('pending', 'processing'))
  ORDER BY d.path FOR UPDATE OF d`;

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === '23505';
}

export class PgWatch {
  constructor(
    private readonly c: PgContext,
    private readonly policy: QueuePolicy,
  ) {}

  async addWatchedFolder(f: NewWatchedFolder): Promise<WatchedFolder> {
    const r = (
      await this.c.q<FolderRaw>(INSERT_FOLDER, [
        randomUUID(),
        f.path,
        f.poll ? 1 : 0,
        JSON.stringify(f.ignore),
        f.outputs.txt ? 1 : 0,
        f.outputs.pdf ? 1 : 0,
        f.outputs.dir,
        this.c.now(),
        f.languages ?? null,
      ])
    ).rows[0];
    if (!r) throw new QuireError('already_watched', `${f.path} is already a watched folder.`);
    return toFolder(r);
  }

  async removeWatchedFolder(path: string): Promise<boolean> {
    return (await this.c.q(DELETE_FOLDER, [path])).rowCount === 1;
  }

  async listWatchedFolders(): Promise<WatchedFolder[]> {
    return (await this.c.read<FolderRaw>(ALL_FOLDERS)).rows.map(toFolder);
  }

  async setWatchedFolderState(path: string, state: WatchedFolderState, message: string | null, scanned: boolean): Promise<void> {
    await this.c.q(SET_STATE, [path, state, message, this.c.now(), scanned]);
  }

  async listDocumentsUnder(dir: string): Promise<DocumentFileRow[]> {
    const [lo, hi] = prefixRange(dir);
    return (await this.c.read<DocFileRaw>(DOCS_UNDER, [lo, hi])).rows.map(toDocFile);
  }

  async setSourceMissing(paths: readonly string[], missing: boolean): Promise<number> {
    if (paths.length === 0) return 0;
    return (await this.c.q(SET_MISSING, [[...new Set(paths)], missing ? 1 : 0, this.c.now()])).rowCount ?? 0;
  }

  async cancelPendingForPaths(paths: readonly string[]): Promise<number> {
    if (paths.length === 0) return 0;
    return (await this.c.q(CANCEL_PENDING, [[...new Set(paths)], this.c.now()])).rowCount ?? 0;
  }

  async hasMissingDocumentOfSize(size: number): Promise<boolean> {
    return (await this.c.read(MISSING_OF_SIZE, [size])).rows.length > 0;
  }

  async findDocumentsByContentHash(hash: string): Promise<DocumentFileRow[]> {
    return (await this.c.read<DocFileRaw>(DOCS_BY_HASH, [hash])).rows.map(toDocFile);
  }

  async moveDocument(id: string, newPath: string, size: number, mtimeMs: number): Promise<boolean> {
    try {
      return await this.c.tx(async (q) => {
        const taken = (await q.query<{ id: string }>(DOC_ID_BY_PATH, [newPath])).rows[0];
        if (taken && taken.id !== id) return false;
        return (await q.query(MOVE_DOC, [id, newPath, size, Math.trunc(mtimeMs)])).rowCount === 1;
      });
    } catch (err) {
      // Another host put a document at newPath between the check and the update.
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async updateDocumentFiles(files: readonly DocumentFileFacts[]): Promise<number> {
    if (files.length === 0) return 0;
    const r = await this.c.q(UPDATE_FILES, [
      files.map((f) => f.path),
      files.map((f) => f.size),
      files.map((f) => Math.trunc(f.mtimeMs)),
      files.map((f) => f.contentHash),
    ]);
    return r.rowCount ?? 0;
  }

  async requeueDocuments(paths: readonly string[]): Promise<number> {
    if (paths.length === 0) return 0;
    const now = this.c.now();
    return this.c.tx(async (q) => {
      // Same lock as enqueue: a batch enqueuing these paths meanwhile decides after this commits.
      await q.query(SQL.ENQUEUE_LOCK);
      const docs = (await q.query<{ id: string; size: number }>(REQUEUE_CANDIDATES, [[...new Set(paths)]])).rows;
      if (docs.length === 0) return 0;
      const ids = docs.map((d) => d.id);
      await q.query(SQL.DROP_OLD_JOBS, [ids]);
      // The insert trigger sets each document back to pending without an error, as replaceJob does on SQLite.
      const inserted = await q.query(SQL.INSERT_JOBS, [
        docs.map(() => randomUUID()),
        ids,
        docs.map((d) => this.policy.priorityForSize(d.size)),
        docs.map((d) => d.size),
        this.policy.maxAttempts,
        now,
        docs.map(() => null), // languages: the setting (as on SQLite)
      ]);
      return inserted.rows.length;
    });
  }
}
