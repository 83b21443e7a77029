/**
 * A small BMP decoder for the common uncompressed layouts (1/4/8-bit palette, 16/24/32-bit,
 * BI_RGB and BI_BITFIELDS): sharp's prebuilt libvips does not read BMP. RLE-compressed files
 * are rare; they return null and go to tesseract.js, which reads BMP itself (via Leptonica).
 */
import type { RawImage } from './raw-image';
import { OcrError } from './types';

export function decodeBmp(buf: Buffer, maxPixels: number): RawImage | null {
  if (buf.length < 54) throw new OcrError('corrupt_file', 'BMP file is truncated');
  const dataOffset = buf.readUInt32LE(10);
  const headerSize = buf.readUInt32LE(14);
  if (headerSize < 40) return null; // OS/2 1.x core header: hand to tesseract
  const width = buf.readInt32LE(18);
  const rawHeight = buf.readInt32LE(22);
  const bpp = buf.readUInt16LE(28);
  const compression = buf.readUInt32LE(30);
  const ppm = buf.readInt32LE(38);
  const height = Math.abs(rawHeight);
  const topDown = rawHeight < 0;
  if (width < 1 || height < 1) throw new OcrError('corrupt_file', 'BMP header is malformed');
  if (width * height > maxPixels) throw new OcrError('too_large', `Image is ${width}x${height} pixels, above the limit`);
  if (!(compression === 0 || (compression === 3 && (bpp === 16 || bpp === 32)))) return null;
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) return null;

  let masks = bpp === 16 ? [0x7c00, 0x03e0, 0x001f, 0] : [0xff0000, 0x00ff00, 0x0000ff, 0];
  if (compression === 3) {
    const at = 54; // right after a 40-byte header, or inside a V4/V5 header: the same offset
    if (buf.length < at + 16) throw new OcrError('corrupt_file', 'BMP header is truncated');
    masks = [buf.readUInt32LE(at), buf.readUInt32LE(at + 4), buf.readUInt32LE(at + 8), headerSize >= 56 ? buf.readUInt32LE(at + 12) : 0];
  }
  const palette: number[][] = [];
  if (bpp <= 8) {
    // The header's count is a 32-bit field: a file claiming 4 billion colours used to make this
    // loop run (and allocate) for minutes. A palette never holds more than 2^bpp entries.
    const colours = Math.min(buf.readUInt32LE(46) || 1 << bpp, 1 << bpp);
    const start = 14 + headerSize;
    for (let i = 0; i < colours; i++) {
      const p = start + i * 4;
      palette.push([buf[p + 2] ?? 0, buf[p + 1] ?? 0, buf[p] ?? 0]);
    }
  }
  const rowBytes = Math.floor((bpp * width + 31) / 32) * 4;
  if (dataOffset + rowBytes * height > buf.length) throw new OcrError('corrupt_file', 'BMP pixel data is truncated');
  const out = Buffer.alloc(width * height * 3);
  const field = (v: number, mask: number) => {
    if (!mask) return 0;
    const shift = 31 - Math.clz32(mask & -mask); // index of the lowest set bit
    const bits = 32 - Math.clz32(mask >>> shift);
    const x = (v & mask) >>> shift;
    return Math.round((x * 255) / ((1 << bits) - 1 || 1));
  };
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (topDown ? y : height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      let rgb: number[];
      if (bpp <= 8) {
        const perByte = 8 / bpp;
        const byte = buf[row + Math.floor(x / perByte)] ?? 0;
        const idx = (byte >> ((perByte - 1 - (x % perByte)) * bpp)) & ((1 << bpp) - 1);
        rgb = palette[idx] ?? [0, 0, 0];
      } else if (bpp === 24) {
        const p = row + x * 3;
        rgb = [buf[p + 2] ?? 0, buf[p + 1] ?? 0, buf[p] ?? 0];
      } else {
        const v = bpp === 16 ? buf.readUInt16LE(row + x * 2) : buf.readUInt32LE(row + x * 4);
        rgb = [field(v, masks[0] ?? 0), field(v, masks[1] ?? 0), field(v, masks[2] ?? 0)];
      }
      const o = (y * width + x) * 3;
      out[o] = rgb[0] ?? 0;
      out[o + 1] = rgb[1] ?? 0;
      out[o + 2] = rgb[2] ?? 0;
    }
  }
  const dpi = ppm > 0 ? Math.round(ppm * 0.0254) : undefined;
  return { data: out, width, height, channels: 3, dpi };
}
