/** Reading an input file, with file-system failures mapped to the queue's error kinds. */
import { readFile } from 'node:fs/promises';
import { OcrError } from './types';

export async function readInput(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
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
