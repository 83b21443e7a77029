/**
 * HEIF-family files: AVIF (AV1 inside) is read by sharp's prebuilt libvips (its libheif carries
 * the AV1 decoder, aom). HEIC (HEVC/H.265 inside, what iPhones save by default) is not: the
 * prebuilt leaves HEVC out, and the only offline HEVC decoders on npm (libheif-js with libde265)
 * are LGPL-3.0 and implement a patent-licensed codec, which this app does not take on. Such files
 * fail at once as unsupported_format with a message that says why and what to do.
 */
import { OcrError } from './types';

const HEVC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);
const AV1_BRANDS = new Set(['avif', 'avis']);

/** Which codec a HEIF file's images use, from its 'ftyp' brands and codec boxes. */
export function heifCodec(b: Buffer): 'av1' | 'hevc' | 'unknown' {
  if (b.length < 16 || b.toString('latin1', 4, 8) !== 'ftyp') return 'unknown';
  const size = Math.min(b.readUInt32BE(0), b.length);
  const brands: string[] = [b.toString('latin1', 8, 12)];
  for (let at = 16; at + 4 <= size; at += 4) brands.push(b.toString('latin1', at, at + 4));
  if (brands.some((x) => AV1_BRANDS.has(x))) return 'av1';
  if (brands.some((x) => HEVC_BRANDS.has(x))) return 'hevc';
  // Generic 'mif1' files: the codec configuration box of the image item tells.
  const head = b.subarray(0, Math.min(b.length, 1 << 20));
  if (head.includes('av1C', 0, 'latin1')) return 'av1';
  if (head.includes('hvcC', 0, 'latin1')) return 'hevc';
  return 'unknown';
}

export const HEIC_MESSAGE =
  'HEIC photo (HEVC/H.265 compressed): Quire has no HEVC decoder (a patent-licensed codec that its image library leaves out). ' +
  'Export the photo as JPEG, or set the phone to save "Most Compatible" (JPEG) pictures, and add that file.';

/** Throws unsupported_format for an HEVC-coded file; other HEIF files go on to sharp. */
export function checkHeif(bytes: Buffer): void {
  if (heifCodec(bytes) === 'hevc') throw new OcrError('unsupported_format', HEIC_MESSAGE);
}
