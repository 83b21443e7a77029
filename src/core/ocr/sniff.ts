/** What a file really is, from its first bytes: extensions and ingest's mime guess are not trusted. */
export type Format = 'png' | 'jpeg' | 'tiff' | 'bmp' | 'gif' | 'webp' | 'pnm' | 'pdf' | 'jp2' | 'heif';

/** HEIF-family brands (ISO BMFF 'ftyp'): HEIC/HEIF photos and AVIF. */
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1', 'mif2', 'avif', 'avis']);

export function sniffFormat(b: Uint8Array): Format | null {
  const at = (i: number, ...bytes: number[]) => bytes.every((x, k) => b[i + k] === x);
  const ascii = (i: number, s: string) => at(i, ...Array.from(s, (c) => c.charCodeAt(0)));
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'webp';
  if (ascii(0, 'BM') && b.length >= 26) return 'bmp';
  // JPEG 2000: the JP2 signature box, or a bare codestream (SOC then SIZ).
  if (at(0, 0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a) || at(0, 0xff, 0x4f, 0xff, 0x51)) return 'jp2';
  if (ascii(4, 'ftyp') && HEIF_BRANDS.has(Buffer.from(b.subarray(8, 12)).toString('latin1'))) return 'heif';
  // P1..P6 followed by whitespace (P7 PAM is not read).
  if (b[0] === 0x50 && b[1] !== undefined && b[1] >= 0x31 && b[1] <= 0x36 && /\s/.test(String.fromCharCode(b[2] ?? 0))) return 'pnm';
  // The PDF header may follow up to 1 KiB of junk (the spec's tolerance, and real files use it).
  const head = Buffer.from(b.subarray(0, 1024)).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  return null;
}
