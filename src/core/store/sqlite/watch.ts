/**
 * SQLite statements for watched folders and the "source missing" state of documents.
 * Kept apart from store.ts so the queue operations stay readable; SqliteJobStore delegates here.
 */
import { randomUUID } from 'node:crypto';
import { sep } from 'node:path';
import type Database from 'better-sqlite3';
import { QuireError } from '../../../shared/errors';
import type {
  DocumentFileFacts,
  DocumentFileRow,
  NewWatchedFolder,
  WatchedFolder,
  WatchedFolderState,
} from '../types';
import { type DocFileRaw, type FolderRaw, toDocFile, toFolder } from '../rows';





const DOC_FILE_COLUMNS = 'id, path, size, mtime, content_hash, ocr_status, source_missing';

/**
 * Paths under `dir` as a range on the unique path index: every string that starts with
 * dir + separator sorts between that prefix and the prefix with the separator's next character.
 */
export function prefixRange(dir: string, separator: string = sep): [string, string] {
  const base = dir.endsWith(separator) ? dir.slice(0, -1) : dir;
  return [base + separator, base + String.fromCharCode(separator.charCodeAt(0) + 1)];
}

export function createWatchStatements(db: Database.Database, now: () => number) {
  const s = {
    insertFolder: db.prepare(
      `INSERT INTO watched_folders (id, path, poll, ignore_patterns, output_txt, output_pdf, output_dir, languages, added_at)
       VALUES (@id, @path, @poll, @ignore, @txt, @pdf, @dir, @languages, @now)`,
    ),
    folderByPath: db.prepare<[string], FolderRaw>('SELECT * FROM watched_folders WHERE path = ?'),
    deleteFolder: db.prepare('DELETE FROM watched_folders WHERE path = ?'),
    allFolders: db.prepare<[], FolderRaw>('SELECT * FROM watched_folders ORDER BY path'),
    setState: db.prepare(
      `UPDATE watched_folders SET state = @state, state_message = @message, state_changed_at = @now,
         last_scan_at = CASE WHEN @scanned = 1 THEN @now ELSE last_scan_at END
       WHERE path = @path`,
    ),
    docsUnder: db.prepare<[string, string], DocFileRaw>(
      `SELECT ${DOC_FILE_COLUMNS} FROM documents WHERE path >= ? AND path < ?`,
    ),
    setMissing: db.prepare(
      `UPDATE documents SET source_missing = @missing,
         source_missing_since = CASE WHEN @missing = 1 THEN @now ELSE NULL END
       WHERE path = @path AND source_missing <> @missing`,
    ),
    cancelPending: db.prepare(
      `UPDATE ocr_queue SET status = 'cancelled', completed_at = @now, error_kind = 'file_missing',
         error_message = 'The file was deleted or moved before it was processed.'
       WHERE status = 'pending' AND document_id = (SELECT id FROM documents WHERE path = @path)`,
    ),
    docsByHash: db.prepare<[string], DocFileRaw>(
      `SELECT ${DOC_FILE_COLUMNS} FROM documents WHERE content_hash = ?
       ORDER BY ocr_status = 'completed' DESC, source_missing DESC, added_at`,
    ),
    missingOfSize: db.prepare<[number], { one: number }>('SELECT 1 AS one FROM documents WHERE source_missing = 1 AND size = ? LIMIT 1'),
    docIdByPath: db.prepare<[string], { id: string }>('SELECT id FROM documents WHERE path = ?'),
    moveDoc: db.prepare(
      `UPDATE documents SET path = @path, size = @size, mtime = @mtime, source_missing = 0,
         source_missing_since = NULL WHERE id = @id`,
    ),
    updateFile: db.prepare(
      `UPDATE documents SET size = @size, mtime = @mtime, content_hash = COALESCE(@hash, content_hash),
         source_missing = 0, source_missing_since = NULL WHERE path = @path`,
    ),
  };

  return {
    addWatchedFolder(f: NewWatchedFolder): WatchedFolder {
      return db
        .transaction((): WatchedFolder => {
          if (s.folderByPath.get(f.path)) {
            throw new QuireError('already_watched', `${f.path} is already a watched folder.`);
          }
          s.insertFolder.run({
            id: randomUUID(),
            path: f.path,
            poll: f.poll ? 1 : 0,
            ignore: JSON.stringify(f.ignore),
            txt: f.outputs.txt ? 1 : 0,
            pdf: f.outputs.pdf ? 1 : 0,
            dir: f.outputs.dir,
            languages: f.languages ?? null,
            now: now(),
          });
          return toFolder(s.folderByPath.get(f.path)!);
        })
        .immediate();
    },
    removeWatchedFolder(path: string): boolean {
      return s.deleteFolder.run(path).changes === 1;
    },
    listWatchedFolders(): WatchedFolder[] {
      return s.allFolders.all().map(toFolder);
    },
    setWatchedFolderState(path: string, state: WatchedFolderState, message: string | null, scanned: boolean): void {
      s.setState.run({ path, state, message, now: now(), scanned: scanned ? 1 : 0 });
    },
    listDocumentsUnder(dir: string): DocumentFileRow[] {
      const [lo, hi] = prefixRange(dir);
      return s.docsUnder.all(lo, hi).map(toDocFile);
    },
    setSourceMissing(paths: readonly string[], missing: boolean): number {
      const t = now();
      return db
        .transaction(() => paths.reduce((n, path) => n + s.setMissing.run({ path, missing: missing ? 1 : 0, now: t }).changes, 0))
        .immediate();
    },
    cancelPendingForPaths(paths: readonly string[]): number {
      const t = now();
      return db
        .transaction(() => paths.reduce((n, path) => n + s.cancelPending.run({ path, now: t }).changes, 0))
        .immediate();
    },
    hasMissingDocumentOfSize(size: number): boolean {
      return s.missingOfSize.get(size) !== undefined;
    },
    findDocumentsByContentHash(hash: string): DocumentFileRow[] {
      return s.docsByHash.all(hash).map(toDocFile);
    },
    moveDocument(id: string, newPath: string, size: number, mtimeMs: number): boolean {
      return db
        .transaction((): boolean => {
          const taken = s.docIdByPath.get(newPath);
          if (taken && taken.id !== id) return false;
          return s.moveDoc.run({ id, path: newPath, size, mtime: Math.trunc(mtimeMs) }).changes === 1;
        })
        .immediate();
    },
    updateDocumentFiles(files: readonly DocumentFileFacts[]): number {
      return db
        .transaction(() =>
          files.reduce(
            (n, f) => n + s.updateFile.run({ path: f.path, size: f.size, mtime: Math.trunc(f.mtimeMs), hash: f.contentHash }).changes,
            0,
          ),
        )
        .immediate();
    },
  };
}
