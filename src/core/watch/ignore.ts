/**
 * What a watched folder never enqueues: the shared ingest rules (hidden, temporary and OS files,
 * applied to every path segment as the walk does), the folder's own patterns, Quire's outputs
 * (`*.ocr.pdf`, and every watched folder's output folder) and, for files, unsupported types.
 */
import type { Stats } from 'node:fs';
import { relative, sep } from 'node:path';
import { isIgnoredName, kindForPath } from '../ingest/formats';
import { compileGlob } from './glob';

/** Suffix of the searchable PDFs Quire writes; such files are outputs, never inputs. */
export const PDF_OUTPUT_SUFFIX = '.ocr.pdf';
export const TXT_OUTPUT_SUFFIX = '.ocr.txt';

export function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel);
}

export function isSameOrInside(child: string, parent: string): boolean {
  return child === parent || isInside(child, parent);
}

export interface IgnoreRules {
  root: string;
  patterns: readonly string[];
  /** Output folders of all watched folders: outputs are never ingested again. */
  excludedDirs: readonly string[];
}

/** A predicate for chokidar's `ignored` and for reconciliation: absolute path, optional stats. */
export function createIgnore(rules: IgnoreRules): (path: string, stats?: Stats) => boolean {
  const globs = rules.patterns.map((p) => compileGlob(p));
  const excluded = rules.excludedDirs.filter((d) => d !== rules.root);
  return (path, stats) => {
    if (path === rules.root) return false;
    const rel = relative(rules.root, path);
    if (rel.startsWith('..')) return false; // not ours to judge (chokidar asks about parents)
    const parts = rel.split(sep);
    if (parts.some((p) => isIgnoredName(p))) return true;
    if (excluded.some((d) => isSameOrInside(path, d))) return true;
    const posix = parts.join('/');
    if (globs.some((g) => g.matches(posix))) return true;
    if (path.toLowerCase().endsWith(PDF_OUTPUT_SUFFIX)) return true;
    // Unsupported files cost a watch each and can never become jobs.
    if (stats?.isFile() && !kindForPath(path)) return true;
    return false;
  };
}
