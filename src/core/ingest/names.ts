/**
 * File names that are not valid UTF-8 (a Latin-1 "lat1\xe9t\xe9.png" from an old archive, bytes
 * from a broken copy). Node turns such names into strings by replacing each bad byte with U+FFFD,
 * so the string names no file ("not found") or another file ("bad\uFFFD\uFFFD.png" is a valid
 * name too, and the two were merged into one document). Quire stores paths as text, so these
 * files are not queued: they are listed with the reason, under their bytes escaped.
 */
import { isUtf8 } from 'node:buffer';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const NOT_UTF8_REASON = 'the file name is not valid UTF-8 (Quire cannot store it); rename the file to queue it';
export const NOT_UTF8_FOLDER_REASON = 'the folder name is not valid UTF-8 (Quire cannot store it): nothing under it was read; rename the folder';

/** The name as text when its bytes are valid UTF-8, else null. */
export function utf8Name(bytes: Buffer): string | null {
  return isUtf8(bytes) ? bytes.toString('utf8') : null;
}

/** Length of the valid UTF-8 sequence starting at i (1-4), or 0 when the byte there does not start one. */
function sequenceAt(b: Buffer, i: number): number {
  const c = b[i] as number;
  const n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  return n && i + n <= b.length && isUtf8(b.subarray(i, i + n)) ? n : 0;
}

/** The name for a person: valid UTF-8 runs as text, every other byte as \xNN ("lat1\xe9t\xe9.png"). */
export function escapeName(bytes: Buffer): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const n = sequenceAt(bytes, i);
    if (n) {
      out += bytes.toString('utf8', i, i + n);
      i += n;
    } else {
      out += `\\x${(bytes[i] as number).toString(16).padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

/**
 * The entries of `dir` whose names are not UTF-8 and which Node reads as `lossy` (the name an
 * event gave, with U+FFFD for the bad bytes), as paths with their bytes escaped.
 */
export async function unnamableEntries(dir: string, lossy: string): Promise<string[]> {
  let entries: Buffer[];
  try {
    entries = await readdir(dir, { encoding: 'buffer' });
  } catch {
    return []; // not a folder (a file's own watch), or gone meanwhile
  }
  return entries.filter((b) => utf8Name(b) === null && b.toString('utf8') === lossy).map((b) => join(dir, escapeName(b)));
}
