/**
 * Path mappings: a share mounted at different places on different machines. Documents
 * keep the path as seen by the machine that ingested them; a host maps that path to its own mount
 * point before it reads the file (its OCR workers, searchable PDFs, page images).
 *
 * The setting `path_mappings` is a list of prefix pairs `from=>to` separated by `;`, e.g.
 * `/mnt/scans=>/Volumes/scans;D:\Scans=>/mnt/d-scans`. The longest matching `from` wins; a prefix
 * matches whole path components only (`/mnt/scans` maps `/mnt/scans/a.png`, not `/mnt/scans2/a.png`).
 */
import { existsSync } from 'node:fs';

export interface PathMapping {
  from: string;
  to: string;
}

export const PATH_MAPPINGS_ACCEPTS =
  'prefix pairs from=>to separated by ; (e.g. /mnt/scans=>/Volumes/scans;/srv/in=>/data/in), or empty for none';

function trimSeparator(p: string): string {
  return p.length > 1 ? p.replace(/[/\\]+$/, '') || p.slice(0, 1) : p;
}

/** The mappings, or a message saying what is wrong with the text. */
export function parsePathMappings(raw: string): PathMapping[] | string {
  const out: PathMapping[] = [];
  for (const part of raw.split(';')) {
    const pair = part.trim();
    if (pair === '') continue;
    const i = pair.indexOf('=>');
    if (i < 0 || pair.indexOf('=>', i + 2) >= 0) return `"${pair}" is not one from=>to pair`;
    const from = trimSeparator(pair.slice(0, i).trim());
    const to = trimSeparator(pair.slice(i + 2).trim());
    if (!from || !to) return `"${pair}" needs a path on both sides of =>`;
    if (out.some((m) => m.from === from)) return `"${from}" is mapped twice`;
    out.push({ from, to });
  }
  return out;
}

/** Map a path recorded by the ingesting machine to this machine's view of it. */
export function mapPath(mappings: readonly PathMapping[], path: string): string {
  let best: PathMapping | null = null;
  for (const m of mappings) {
    const matches = path === m.from || (path.startsWith(m.from) && /^[/\\]/.test(path.slice(m.from.length))) || (/[/\\]$/.test(m.from) && path.startsWith(m.from));
    if (matches && (!best || m.from.length > best.from.length)) best = m;
  }
  if (!best) return path;
  const rest = path.slice(best.from.length);
  if (rest === '') return best.to;
  // Keep the target's own separator style when it differs from the source's.
  const sep = best.to.includes('\\') && !best.to.includes('/') ? '\\' : best.to.includes('/') ? '/' : null;
  const tail = sep ? rest.replace(/[/\\]/g, sep) : rest;
  return /[/\\]$/.test(best.to) ? best.to + tail.replace(/^[/\\]+/, '') : best.to + tail;
}

/**
 * A host's view of a document path, from the setting's text (invalid text maps nothing: the
 * setting is validated before). With PostgreSQL, persisted settings are shared by every host, the
 * ingesting machine included, so a path that exists here as recorded is read as recorded; the
 * mapping applies only to paths this machine does not have.
 */
export function pathMapper(raw: string, exists: (p: string) => boolean = existsSync): (path: string) => string {
  const m = parsePathMappings(raw);
  if (typeof m === 'string' || m.length === 0) return (p) => p;
  return (p) => {
    const mapped = mapPath(m, p);
    return mapped === p || exists(p) ? p : mapped;
  };
}
