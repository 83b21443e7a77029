/** Reading an input file, with file-system failures mapped to the queue's error kinds. */
import { open, stat } from 'node:fs/promises';
import { OcrError } from './types';

/**
 * Largest input file Quire reads. The engine holds a file in memory while it decodes it (and Node
 * cannot read more than 2 GiB into one buffer anyway); larger files fail as too_large at once,
 * before a byte is read, instead of failing (and being retried) as an engine error.
 */
export const MAX_INPUT_BYTES = 1024 * 1024 * 1024;

/**
 * Check that a path is a regular file of an acceptable size, without reading it. A FIFO or device
 * would block or never end a read: it is refused as unsupported_format.
 */
export async function checkInput(path: string, maxBytes = MAX_INPUT_BYTES): Promise<number> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new OcrError('unsupported_format', `${path} is not a regular file`);
    size = st.size;
  } catch (err) {
    if (err instanceof OcrError) throw err;
    throw fsError(err, path);
  }
  if (size > maxBytes) {
    throw new OcrError('too_large', `The file is ${Math.round(size / 1048576)} MB; Quire reads files up to ${Math.round(maxBytes / 1048576)} MB`);
  }
  return size;
}

export async function readInput(path: string): Promise<Buffer> {
  await checkInput(path);
  try {
    // Read through one handle, and no more than the size checked: a file that grows meanwhile
    // cannot push the read past the limit.
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      const buf = Buffer.allocUnsafe(Math.min(size, MAX_INPUT_BYTES));
      let off = 0;
      while (off < buf.length) {
        const { bytesRead } = await fh.read(buf, off, buf.length - off, off);
        if (bytesRead === 0) break;
        off += bytesRead;
      }
      return off === buf.length ? buf : buf.subarray(0, off);
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw fsError(err, path);
  }
}

export function fsError(err: unknown, path: string): OcrError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new OcrError('file_missing', `File not found: ${path}`, { cause: err });
  if (code === 'EACCES' || code === 'EPERM') return new OcrError('permission_denied', `Not allowed to read ${path}`, { cause: err });
  if (code === 'EISDIR') return new OcrError('unsupported_format', `${path} is a folder, not a file`, { cause: err });
  return new OcrError('engine_error', `Cannot read ${path}: ${(err as Error).message}`, { cause: err });
}
