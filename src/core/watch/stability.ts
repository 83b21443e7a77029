/**
 * The check after chokidar's awaitWriteFinish: chokidar only compares sizes, so a writer that
 * rewrites a file in place at the same size would slip through. A file counts as written when two
 * stats `settleMs` apart agree on size and mtime.
 */
import { stat } from 'node:fs/promises';

export interface FileFacts {
  size: number;
  mtimeMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The stable facts, or null when the file vanished or is not a regular file. */
export async function waitStable(path: string, settleMs: number, maxRounds = 50): Promise<FileFacts | null> {
  let prev: FileFacts | null = null;
  for (let i = 0; i < maxRounds; i++) {
    let st;
    try {
      st = await stat(path);
    } catch {
      return null;
    }
    if (!st.isFile()) return null;
    const cur = { size: st.size, mtimeMs: st.mtimeMs };
    if (prev && prev.size === cur.size && prev.mtimeMs === cur.mtimeMs) return cur;
    prev = cur;
    await sleep(settleMs);
  }
  return prev; // still changing after many rounds: take it; a later change event re-checks it
}

/**
 * For files found by a rescan (no awaitWriteFinish there): wait until the mtime is at least
 * `quietMs` old, so a file still being copied while Quire starts is not taken half-written.
 * Files older than that (nearly all of them) cost nothing more. A clock skewed into the future
 * (a network share) ends the wait after a few rounds instead of blocking the rescan.
 */
export async function waitQuiet(path: string, facts: FileFacts, quietMs: number, maxRounds = 5): Promise<FileFacts | null> {
  let cur = facts;
  for (let i = 0; i < maxRounds; i++) {
    const age = Date.now() - cur.mtimeMs;
    if (age >= quietMs) return cur;
    await sleep(Math.min(quietMs, quietMs - age) + 10);
    try {
      const st = await stat(path);
      if (!st.isFile()) return null;
      cur = { size: st.size, mtimeMs: st.mtimeMs };
    } catch {
      return null;
    }
  }
  return cur;
}
