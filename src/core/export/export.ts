/**
 * Export every completed document as files under one folder, mirroring each document's absolute
 * path (/scans/2024/a.png -> <out>/scans/2024/a.png.txt), so repeated exports land in the same
 * places however the set of folders grows. Nothing is ever written outside <out>.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, realpath, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import { QuireError } from '../../shared/errors';
import { unwritableName } from '../fs-names';
import type { DocumentRow } from '../../shared/jobs';
import type { ExportFormat, ExportSummary } from '../../shared/views';
import type { DocumentStore } from '../store/types';
import type { PageResult } from '../../shared/results';

/** Makes a searchable PDF (page image + invisible text), in a worker process (the host's request worker). */
export type PdfWriter = (doc: DocumentRow, pages: readonly PageResult[]) => Promise<Uint8Array>;

export interface ExportOptions {
  out: string;
  formats: readonly ExportFormat[];
  pdfWriter?: PdfWriter;
  onProgress?: (done: number) => void;
}

export type ExportReport = ExportSummary;

/**
 * Where a document's outputs go: its absolute path below `out` (a Windows drive becomes a
 * folder). Null when the result would escape `out` (a path with '..' in the database).
 */
export function mirroredBase(out: string, docPath: string): string | null {
  const root = resolve(out);
  const p = parse(docPath);
  const drive = p.root.replace(/[:\\/]/g, '');
  const rest = docPath.slice(p.root.length);
  const target = resolve(root, drive, rest);
  const rel = relative(root, target);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return target;
}

export async function exportDocuments(store: Pick<DocumentStore, 'listCompleted' | 'getPages'>, o: ExportOptions): Promise<ExportReport> {
  if (o.formats.includes('pdf') && !o.pdfWriter) {
    throw new QuireError('not_available', 'Searchable PDF export needs a PDF writer, and none was given. Use --format txt,json.');
  }
  const report: ExportReport = { documents: 0, files: 0, skipped: [] };
  await mkdir(resolve(o.out), { recursive: true });
  const realOut = await realpath(resolve(o.out));
  let after: string | null = null;
  for (;;) {
    const docs = await store.listCompleted(after, 200);
    if (docs.length === 0) break;
    after = docs[docs.length - 1]!.path;
    for (const doc of docs) {
      const base = isAbsolute(doc.path) ? mirroredBase(o.out, doc.path) : null;
      if (!base) {
        report.skipped.push({ path: doc.path, reason: 'its path would lead outside the export folder' });
        continue;
      }
      // A symlink already inside <out> must not carry writes (or new folders) elsewhere; the
      // files go into the folder as checked (its real path), not through the links again.
      // A folder name the file system cannot take skips the document, with the reason.
      const dir = await makeDirInside(realOut, resolve(o.out), relative(resolve(o.out), dirname(base))).catch((err: unknown) => {
        const why = unwritableName(err);
        if (!why) throw err;
        return { problem: `a folder on its way: ${why}` };
      });
      if ('problem' in dir) {
        report.skipped.push({ path: doc.path, reason: dir.problem });
        continue;
      }
      const outBase = join(dir.real, basename(base));
      const pages = o.formats.some((f) => f !== 'txt') ? await store.getPages(doc.id) : [];
      let wrote = 0;
      // Each output on its own: a name one format cannot take (the longest suffix) skips only it.
      const write = async (f: ExportFormat, data: string | Uint8Array) => {
        const path = `${outBase}.${f}`;
        try {
          await writeOut(path, data);
          wrote++;
          report.files++;
        } catch (err) {
          const why = unwritableName(err);
          if (!why) throw err;
          report.skipped.push({ path: doc.path, reason: `its .${f} output: ${why}` });
        }
      };
      for (const f of o.formats) {
        if (f === 'txt') await write('txt', doc.text ?? '');
        if (f === 'json') await write('json', JSON.stringify(jsonFor(doc, pages), null, 2) + '\n');
        if (f === 'pdf') {
          // The PDF is built from the source file (its page images): a source that is gone or
          // unreadable now skips that one output, with the reason, and the export goes on.
          let pdf: Uint8Array;
          try {
            pdf = await o.pdfWriter!(doc, pages);
          } catch (err) {
            report.skipped.push({ path: doc.path, reason: `no searchable PDF: ${(err as Error).message}` });
            continue;
          }
          await write('pdf', pdf);
        }
      }
      if (wrote === 0) continue;
      report.documents++;
      o.onProgress?.(report.documents);
    }
  }
  return report;
}

function inside(realRoot: string, realPath: string): boolean {
  const rel = relative(realRoot, realPath);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * Creates realRoot/relDir one folder at a time, each only after the one above it was checked:
 * an existing symbolic link is followed only when it stays inside realRoot, so nothing, not even
 * an empty folder, is made outside it. Returns the folder's real path, or why it refused (naming
 * the path as the user gave it, under shownRoot).
 */
async function makeDirInside(realRoot: string, shownRoot: string, relDir: string): Promise<{ real: string } | { problem: string }> {
  let cur = realRoot;
  let shown = shownRoot;
  for (const part of relDir.split(sep).filter(Boolean)) {
    const next = join(cur, part);
    shown = join(shown, part);
    let st = await lstat(next).catch(() => null);
    if (!st) {
      await mkdir(next).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
      st = await lstat(next);
    }
    if (st.isSymbolicLink()) {
      const target = await realpath(next).catch(() => null);
      if (!target) return { problem: `${shown} is a symbolic link to nothing` };
      if (!inside(realRoot, target)) return { problem: 'a symbolic link in the export folder leads outside it' };
      if (!(await lstat(target)).isDirectory()) return { problem: `${shown} is in the way: it is not a folder` };
      cur = target;
    } else if (st.isDirectory()) {
      cur = next;
    } else {
      return { problem: `${shown} is in the way: it is not a folder` };
    }
  }
  return { real: cur };
}

/** Never follow a symlink planted where an output goes (POSIX; Windows has no O_NOFOLLOW). */
const WRITE_FLAGS =
  constants.O_NOFOLLOW === undefined ? 'w' : constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;

async function writeOut(path: string, data: string | Uint8Array): Promise<void> {
  await writeFile(path, data, { flag: WRITE_FLAGS });
}

function jsonFor(doc: DocumentRow, pages: readonly PageResult[]) {
  return {
    path: doc.path,
    contentHash: doc.contentHash,
    completedAt: doc.ocrCompletedAt === null ? null : new Date(doc.ocrCompletedAt).toISOString(),
    pageCount: doc.pageCount,
    confidence: doc.confidence,
    languages: doc.languages,
    pages: pages.map((p) => ({ page: p.pageNo, text: p.text, confidence: p.confidence, source: p.source })),
  };
}

