/**
 * Outputs of watched folders: when a job completes, the host calls onJobCompleted(document) and
 * the text (and the searchable PDF, when the engine handed one over) is written next to the
 * source or into the folder's output folder. Files are written to a temporary name (hidden and
 * `.tmp`, so no watcher picks it up) and renamed into place, so a reader never sees half a file.
 * An output whose name the file system cannot take (too long, bytes it cannot store) is skipped
 * with the reason, and the others are written.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { DocumentRow } from '../../shared/jobs';
import { unwritableName } from '../fs-names';
import type { JobStore, WatchedFolder } from '../store/types';
import { isInside, PDF_OUTPUT_SUFFIX, TXT_OUTPUT_SUFFIX } from './ignore';

export interface CompletedArtifacts {
  /** A searchable PDF (image + invisible text), e.g. tesseract.js's `pdf: true` output. */
  pdf?: Uint8Array;
}

export function outputBase(folder: WatchedFolder, source: string): string {
  return folder.outputs.dir ? join(folder.outputs.dir, relative(folder.path, source)) : source;
}

/** An output not written: the output's path, and why. */
export interface SkippedOutput {
  path: string;
  reason: string;
}

export interface OutputReport {
  written: string[];
  skipped: SkippedOutput[];
}

async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // A short temporary name of its own: one built from the output's name (".<name>.<hex>.tmp")
  // passed the 255-byte limit 14 bytes before the output itself did.
  const tmp = join(dirname(path), `.quire-${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** The watched folder holding `path`, if any. */
export function folderFor(folders: readonly WatchedFolder[], path: string): WatchedFolder | null {
  return folders.find((f) => isInside(path, f.path)) ?? null;
}

/**
 * Writes the outputs a watched folder asks for. Returns the paths written (none when the document
 * is not under a watched folder with outputs, or has no text yet) and those skipped, with why.
 */
export async function writeOutputs(
  folders: readonly WatchedFolder[],
  doc: DocumentRow,
  artifacts: CompletedArtifacts = {},
): Promise<OutputReport> {
  const report: OutputReport = { written: [], skipped: [] };
  const folder = folderFor(folders, doc.path);
  if (!folder || doc.ocrStatus !== 'completed') return report;
  const base = outputBase(folder, doc.path);
  const write = async (path: string, data: string | Uint8Array) => {
    try {
      await writeAtomic(path, data);
      report.written.push(path);
    } catch (err) {
      const reason = unwritableName(err);
      if (!reason) throw err;
      report.skipped.push({ path, reason });
    }
  };
  if (folder.outputs.txt && doc.text !== null) await write(base + TXT_OUTPUT_SUFFIX, doc.text);
  if (folder.outputs.pdf && artifacts.pdf) await write(base + PDF_OUTPUT_SUFFIX, artifacts.pdf);
  return report;
}

/**
 * A processed file renamed or moved inside watched folders keeps its result (no new OCR); its
 * outputs follow it: each output the folder now holding it asks for is renamed from the old
 * file's output when there is one, and the text is written from the document when there is none.
 * Outputs the new place does not ask for are left where they are.
 */
export async function moveOutputs(folders: readonly WatchedFolder[], from: string, doc: DocumentRow): Promise<OutputReport> {
  const report: OutputReport = { written: [], skipped: [] };
  const folder = folderFor(folders, doc.path);
  if (!folder || doc.ocrStatus !== 'completed') return report;
  // Only outputs Quire wrote are moved: the old place must be a watched folder that asked for them.
  // A file of the same name elsewhere is the user's, and stays where it is.
  const before = folderFor(folders, from);
  const oldBase = before ? outputBase(before, from) : null;
  const newBase = outputBase(folder, doc.path);
  const wanted: [boolean, boolean, string][] = [
    [folder.outputs.txt, before?.outputs.txt ?? false, TXT_OUTPUT_SUFFIX],
    [folder.outputs.pdf, before?.outputs.pdf ?? false, PDF_OUTPUT_SUFFIX],
  ];
  let txtDone = false;
  for (const [want, wrote, suffix] of wanted) {
    if (!want || !wrote || oldBase === null || oldBase === newBase) continue;
    const target = newBase + suffix;
    try {
      await mkdir(dirname(target), { recursive: true });
      await rename(oldBase + suffix, target);
      report.written.push(target);
      if (suffix === TXT_OUTPUT_SUFFIX) txtDone = true;
    } catch (err) {
      // No old output, or it cannot be renamed here (another disk, no permission): the text is written below.
      if (['ENOENT', 'EXDEV', 'EACCES', 'EPERM'].includes((err as NodeJS.ErrnoException).code ?? '')) continue;
      const reason = unwritableName(err);
      if (!reason) throw err;
      report.skipped.push({ path: target, reason });
      if (suffix === TXT_OUTPUT_SUFFIX) txtDone = true;
    }
  }
  if (folder.outputs.txt && !txtDone && doc.text !== null) {
    const target = newBase + TXT_OUTPUT_SUFFIX;
    try {
      await writeAtomic(target, doc.text);
      report.written.push(target);
    } catch (err) {
      const reason = unwritableName(err);
      if (!reason) throw err;
      report.skipped.push({ path: target, reason });
    }
  }
  return report;
}

/** The hook hosts call after a job completes; reads the folders fresh, so edits apply at once. */
export function createOutputWriter(store: JobStore) {
  return async (doc: DocumentRow, artifacts?: CompletedArtifacts): Promise<OutputReport> => writeOutputs(await store.listWatchedFolders(), doc, artifacts);
}
