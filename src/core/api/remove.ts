/**
 * Removing documents from Quire: their rows go (queue, lists, search), the files stay. Like
 * handlers.ts, no Node modules. A path in (or above) a watched folder is refused: the watcher
 * would add the file again behind the person's back, so they stop watching the folder first.
 */
import { QuireError } from '../../shared/errors';
import type { JobStore } from '../store/types';
import { isUnder } from './requeue';

/** Each path is a document's file or a folder (every document under it). Returns how many documents went. */
export async function removeDocumentsAt(store: JobStore, paths: readonly string[]): Promise<number> {
  for (const w of await store.listWatchedFolders()) {
    const p = paths.find((x) => x === w.path || isUnder(w.path, x) || isUnder(x, w.path));
    if (p) {
      throw new QuireError(
        'watched',
        `${p === w.path || isUnder(w.path, p) ? `${p} is in the watched folder ${w.path}` : `${p} holds the watched folder ${w.path}`}, which would add its files again. ` +
          `Stop watching the folder first (quire watch remove ${w.path}, or Watched folders in the app), then remove it.`,
      );
    }
  }
  const files: string[] = [];
  const folders: string[] = [];
  for (const p of paths) ((await store.getDocumentByPath(p)) ? files : folders).push(p);
  return store.removeDocuments({ paths: files, folders });
}
