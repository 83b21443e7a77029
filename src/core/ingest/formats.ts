/** Which files Quire reads, by extension. The worker checks the bytes again before decoding. */
import { extname, basename } from 'node:path';

const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.jpe': 'image/jpeg',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.bmp': 'image/bmp',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pbm': 'image/x-portable-bitmap',
  '.pgm': 'image/x-portable-graymap',
  '.ppm': 'image/x-portable-pixmap',
  '.pnm': 'image/x-portable-anymap',
  '.jp2': 'image/jp2',
  '.jpx': 'image/jpx',
  '.jpf': 'image/jpx',
  '.j2k': 'image/x-jp2-codestream',
  '.j2c': 'image/x-jp2-codestream',
  '.jpc': 'image/x-jp2-codestream',
  '.avif': 'image/avif',
  // HEIC is ingested so that each photo fails with the reason (no HEVC decoder) instead of
  // being skipped silently; HEIF files holding AV1 images are read.
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.pdf': 'application/pdf',
};

export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(BY_EXTENSION);

/** The mime type for a supported file, or null. */
export function kindForPath(path: string): string | null {
  return BY_EXTENSION[extname(path).toLowerCase()] ?? null;
}

const IGNORED_NAMES = new Set(['thumbs.db', 'desktop.ini', '.ds_store']);
const IGNORED_SUFFIXES = ['.tmp', '.part', '.crdownload'];

/**
 * Hidden files, editors' and browsers' temporary files and OS litter: never documents, and often
 * still being written. Applies to folder names too (hidden folders are not walked).
 */
export function isIgnoredName(pathOrName: string): boolean {
  const name = basename(pathOrName);
  if (name.startsWith('.') || name.startsWith('~')) return true;
  const lower = name.toLowerCase();
  if (IGNORED_NAMES.has(lower)) return true;
  return IGNORED_SUFFIXES.some((s) => lower.endsWith(s));
}
