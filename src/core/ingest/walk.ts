/**
 * Recursive walk that finds candidate files with at most `maxConcurrentIo` file-system calls in
 * flight. Symbolic links are followed, but every folder is visited once (by device and inode), so
 * a link loop ends instead of spinning. Unsupported files are recognised by extension before any
 * stat, which keeps a tree of mixed files cheap.
 */
import type { Dirent, Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { kindForPath, isIgnoredName } from './formats';
import { createLimiter } from './limit';

export interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
  kind: string;
}

export interface WalkHandlers {
  file(f: FoundFile): void;
  unsupported(path: string, why: string): void;
  unreadable(path: string, why: string): void;
  ignored(path: string): void;
}

const gids = new Set(typeof process.getgroups === 'function' ? process.getgroups() : []);
const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;

/** Read permission from the mode bits we already have, without a second syscall. */
export function canRead(st: Stats): boolean {
  if (uid === undefined || uid === 0) return true;
  if (st.uid === uid) return (st.mode & 0o400) !== 0;
  if (st.gid === (process.getgid?.() ?? -1) || gids.has(st.gid)) return (st.mode & 0o040) !== 0;
  return (st.mode & 0o004) !== 0;
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'not found (a broken link, or deleted while walking)';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return (err as Error).message;
}

export async function walk(roots: readonly string[], maxConcurrentIo: number, on: WalkHandlers): Promise<void> {
  const limit = createLimiter(maxConcurrentIo);
  const visited = new Set<string>();

  const onFileStat = (path: string, st: Stats) => {
    const kind = kindForPath(path);
    if (!kind) return on.unsupported(path, 'not a supported image or PDF');
    if (!st.isFile()) return on.unsupported(path, 'not a regular file');
    if (!canRead(st)) return on.unreadable(path, 'permission denied');
    on.file({ path, size: st.size, mtimeMs: st.mtimeMs, kind });
  };

  const visitDir = async (dir: string, st: Stats): Promise<void> => {
    const key = `${st.dev}:${st.ino}`;
    if (visited.has(key)) return; // a link back into a folder already walked
    visited.add(key);
    let entries: Dirent[];
    try {
      entries = await limit(() => readdir(dir, { withFileTypes: true }));
    } catch (err) {
      on.unreadable(dir, reason(err));
      return;
    }
    await Promise.all(entries.map((e) => visitEntry(join(dir, e.name), e)));
  };

  const visitPath = async (path: string): Promise<void> => {
    let st: Stats;
    try {
      st = await limit(() => stat(path));
    } catch (err) {
      on.unreadable(path, reason(err));
      return;
    }
    if (st.isDirectory()) return visitDir(path, st);
    onFileStat(path, st);
  };

  const visitEntry = async (path: string, e: Dirent): Promise<void> => {
    if (isIgnoredName(e.name)) return on.ignored(path);
    if (e.isFile() && !kindForPath(path)) return on.unsupported(path, 'not a supported image or PDF');
    if (e.isFile() || e.isDirectory() || e.isSymbolicLink()) return visitPath(path);
    // FIFOs, sockets, devices: opening one could block forever or read endlessly.
    on.unsupported(path, 'not a regular file');
  };

  await Promise.all(roots.map((r) => visitPath(r)));
}
