/**
 * The watched-folder API every host uses (CLI, local server, Electron main): add, remove, list.
 * Validation lives here so each host refuses the same things with the same sentences.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { QuireError } from '../../shared/errors';
import type { WatchedFolder, WatchStore } from '../store/types';
import { compileGlob } from './glob';
import { isInside } from './ignore';

export interface AddFolderOptions {
  poll?: boolean;
  ignore?: readonly string[];
  /** Write <source>.ocr.txt when a job completes. */
  txt?: boolean;
  /** Write <source>.ocr.pdf (searchable PDF) when the OCR engine provides one. */
  pdf?: boolean;
  /** Where outputs go (mirroring the folder's tree); default: next to each source. */
  outputDir?: string;
  /** OCR languages for the folder's files ('deu+eng', checked by the caller); default: the ocr_languages setting. */
  languages?: string;
}

export interface AddFolderResult {
  folder: WatchedFolder;
  /** Things a person should know (an output folder that will be excluded from watching). */
  notes: string[];
}

export async function addWatchedFolder(store: WatchStore, dir: string, o: AddFolderOptions = {}): Promise<AddFolderResult> {
  const path = resolve(dir);
  const st = await stat(path).catch(() => null);
  if (!st) throw new QuireError('path_missing', `No such folder: ${path}`);
  if (!st.isDirectory()) throw new QuireError('not_folder', `${path} is a file; watch the folder that holds it.`);
  for (const f of await store.listWatchedFolders()) {
    if (f.path === path) throw new QuireError('already_watched', `${path} is already a watched folder.`);
    if (isInside(path, f.path)) {
      throw new QuireError('already_watched', `${path} is inside the watched folder ${f.path}, which already covers it.`);
    }
    if (isInside(f.path, path)) {
      throw new QuireError(
        'nested_watch',
        `${path} contains the watched folder ${f.path}. Remove that one first (quire watch remove ${f.path}), then add ${path}.`,
      );
    }
  }
  const ignore = (o.ignore ?? []).map((g) => g.trim()).filter((g) => g !== '');
  for (const g of ignore) compileGlob(g); // throws a clear message for a bad pattern
  const notes: string[] = [];
  let outDir: string | null = null;
  if (o.outputDir !== undefined) {
    outDir = resolve(o.outputDir);
    if (outDir === path) {
      throw new QuireError(
        'output_is_watched',
        'The output folder cannot be the watched folder itself; leave out --output-dir to write outputs next to each source.',
      );
    }
    if (isInside(outDir, path)) {
      notes.push(`The output folder ${outDir} is inside the watched folder: it is excluded from watching, so outputs are never OCR'd again.`);
    }
  }
  const txt = Boolean(o.txt) || (outDir !== null && !o.pdf);
  const folder = await store.addWatchedFolder({
    path,
    poll: Boolean(o.poll),
    ignore,
    outputs: { txt, pdf: Boolean(o.pdf), dir: outDir },
    languages: o.languages ?? null,
  });
  return { folder, notes };
}

export async function removeWatchedFolder(store: WatchStore, dir: string): Promise<void> {
  const path = resolve(dir);
  if (!(await store.removeWatchedFolder(path))) {
    throw new QuireError('not_watched', `${path} is not a watched folder. See them with: quire watch list`);
  }
}

export function listWatchedFolders(store: WatchStore): Promise<WatchedFolder[]> {
  return store.listWatchedFolders();
}

/** Output folders of all watched folders: every watcher excludes them. */
export function outputDirs(folders: readonly WatchedFolder[]): string[] {
  return folders.flatMap((f) => (f.outputs.dir ? [f.outputs.dir] : []));
}
