/** sha256 of a file, streamed: a 500 MB PDF never sits in memory just to be hashed. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { checkInput } from '../core/ocr/fs-errors';

/**
 * Refuses (with a kind) what must never be read: a file above the input size limit (a 2 GB file
 * fails as too_large without being read) and anything not a regular file (a FIFO would block).
 */
export async function hashFile(path: string): Promise<string> {
  await checkInput(path);
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}
