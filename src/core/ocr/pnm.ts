/**
 * A small PNM (PBM/PGM/PPM, P1-P6) decoder: sharp's prebuilt libvips does not read them, and
 * tesseract.js would skip our pixel limit and alpha handling. 16-bit samples keep the high byte.
 */
import type { RawImage } from './raw-image';
import { OcrError } from './types';

export function decodePnm(buf: Buffer, maxPixels: number): RawImage {
  const magic = buf[1] ? String.fromCharCode(buf[1]) : '';
  let pos = 2;
  const token = (): number => {
    for (;;) {
      while (pos < buf.length && /\s/.test(String.fromCharCode(buf[pos] ?? 0))) pos++;
      if (buf[pos] === 0x23) {
        while (pos < buf.length && buf[pos] !== 0x0a && buf[pos] !== 0x0d) pos++;
      } else break;
    }
    const start = pos;
    while (pos < buf.length && (buf[pos] ?? 0) >= 0x30 && (buf[pos] ?? 0) <= 0x39) pos++;
    if (start === pos) throw new OcrError('corrupt_file', 'PNM header is malformed');
    return Number(buf.toString('latin1', start, pos));
  };
  const width = token();
  const height = token();
  const bitmap = magic === '1' || magic === '4';
  const maxval = bitmap ? 1 : token();
  if (width < 1 || height < 1 || maxval < 1 || maxval > 65535) throw new OcrError('corrupt_file', 'PNM header is malformed');
  if (width * height > maxPixels) throw new OcrError('too_large', `Image is ${width}x${height} pixels, above the limit`);
  const channels = magic === '3' || magic === '6' ? 3 : 1;
  const n = width * height * channels;
  // Refuse data too short for the declared size before allocating for it: an ASCII sample takes
  // at least one digit and a separator (P1: one digit), a binary one its bytes.
  const ascii = magic === '1' || magic === '2' || magic === '3';
  const least = ascii ? (magic === '1' ? n : 2 * n - 1) : magic === '4' ? Math.ceil(width / 8) * height : n * (maxval > 255 ? 2 : 1);
  if (buf.length - pos < least) throw new OcrError('corrupt_file', 'PNM data is truncated');
  const out = Buffer.alloc(n);
  const scale = (v: number) => Math.round((Math.min(v, maxval) * 255) / maxval);
  if (ascii) {
    for (let i = 0; i < n; i++) {
      if (magic === '1') {
        // P1 digits may be unseparated; 1 = black.
        while (pos < buf.length && !(buf[pos] === 0x30 || buf[pos] === 0x31)) pos++;
        if (pos >= buf.length) throw new OcrError('corrupt_file', 'PNM data is truncated');
        out[i] = buf[pos++] === 0x31 ? 0 : 255;
      } else {
        out[i] = scale(token());
      }
    }
  } else {
    pos++; // exactly one whitespace byte after the header
    if (magic === '4') {
      const rowBytes = Math.ceil(width / 8);
      if (pos + rowBytes * height > buf.length) throw new OcrError('corrupt_file', 'PBM data is truncated');
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const byte = buf[pos + y * rowBytes + (x >> 3)] ?? 0;
          out[y * width + x] = (byte >> (7 - (x & 7))) & 1 ? 0 : 255;
        }
      }
    } else {
      const wide = maxval > 255;
      const need = n * (wide ? 2 : 1);
      if (pos + need > buf.length) throw new OcrError('corrupt_file', 'PNM data is truncated');
      for (let i = 0; i < n; i++) {
        out[i] = wide ? scale(buf.readUInt16BE(pos + i * 2)) : maxval === 255 ? (buf[pos + i] ?? 0) : scale(buf[pos + i] ?? 0);
      }
    }
  }
  return { data: out, width, height, channels };
}
