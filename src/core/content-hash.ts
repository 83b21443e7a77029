/**
 * The content hash Quire records for a file (sha256, hex): the worker hashes exactly the bytes it
 * decodes (sha256Bytes), the watcher hashes files on disk to recognise moves and real changes
 * (sha256File). One function each, so the two always agree.
 *
 * sha256File: small files are read in one call; large ones are streamed so a big PDF never
 * sits in memory whole. (Streaming everything with 1 MB chunks cost ~6 ms per small file, measured:
 * each stream allocates its full buffer.)
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';

const READ_WHOLE_BELOW = 4 << 20;

export function sha256Bytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function sha256File(path: string, sizeHint?: number): Promise<string> {
  if (sizeHint !== undefined && sizeHint < READ_WHOLE_BELOW) {
    return createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}
