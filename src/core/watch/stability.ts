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
