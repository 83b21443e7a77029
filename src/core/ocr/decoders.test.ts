import { describe, expect, it } from 'vitest';
import { decodeBmp } from './bmp';
import { fsError } from './fs-errors';
import { decodePnm } from './pnm';
import { sniffFormat } from './sniff';

describe('sniffFormat', () => {
  it.each([
    [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'png'],
    [[0xff, 0xd8, 0xff, 0xe0], 'jpeg'],
    [[0x49, 0x49, 0x2a, 0x00], 'tiff'],
    [[0x4d, 0x4d, 0x00, 0x2a], 'tiff'],
    [Array.from(Buffer.from('GIF89a')), 'gif'],
    [Array.from(Buffer.from('RIFF\0\0\0\0WEBPVP8 ')), 'webp'],
    [Array.from(Buffer.from('P5\n1 1\n255\n\0')), 'pnm'],
    [Array.from(Buffer.from('junk\n%PDF-1.7\n')), 'pdf'],
    [Array.from(Buffer.from('Hello, not an image')), null],
    [[], null],
  ])('%j -> %s', (bytes, format) => {
    expect(sniffFormat(Uint8Array.from(bytes as number[]))).toBe(format);
  });
});

describe('decodePnm', () => {
  it('reads ASCII and binary bitmaps, greymaps and pixmaps', () => {
    expect([...decodePnm(Buffer.from('P1\n# c\n3 1\n1 0 1\n'), 1e6).data]).toEqual([0, 255, 0]);
    expect([...decodePnm(Buffer.from('P2 2 1 15 0 15'), 1e6).data]).toEqual([0, 255]);
    expect([...decodePnm(Buffer.concat([Buffer.from('P4\n3 1\n'), Buffer.from([0b10100000])]), 1e6).data]).toEqual([0, 255, 0]);
    const p6 = decodePnm(Buffer.concat([Buffer.from('P6 1 1 255\n'), Buffer.from([1, 2, 3])]), 1e6);
    expect(p6.channels).toBe(3);
    expect([...p6.data]).toEqual([1, 2, 3]);
    const wide = decodePnm(Buffer.concat([Buffer.from('P5 1 1 65535\n'), Buffer.from([0xff, 0xff])]), 1e6);
    expect([...wide.data]).toEqual([255]);
  });
  it('refuses truncated data and huge sizes', () => {
    expect(() => decodePnm(Buffer.from('P5 10 10 255\n\0\0'), 1e6)).toThrow(expect.objectContaining({ kind: 'corrupt_file' }));
    expect(() => decodePnm(Buffer.from('P5 100000 100000 255\n'), 1e6)).toThrow(expect.objectContaining({ kind: 'too_large' }));
  });
});

describe('decodeBmp', () => {
  it('reads a bottom-up 24-bit BMP', () => {
    const header = Buffer.alloc(54);
    header.write('BM', 0, 'latin1');
    header.writeUInt32LE(54, 10);
    header.writeUInt32LE(40, 14);
    header.writeInt32LE(2, 18);
    header.writeInt32LE(2, 22);
    header.writeUInt16LE(1, 26);
    header.writeUInt16LE(24, 28);
    header.writeInt32LE(11811, 38); // 300 dpi in pixels per metre
    // Rows padded to 4 bytes, bottom row first, BGR: bottom = red, green; top = blue, black.
    const rows = Buffer.from([0, 0, 255, 0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0]);
    const img = decodeBmp(Buffer.concat([header, rows]), 1e6);
    expect(img?.dpi).toBe(300);
    expect([...(img?.data ?? [])]).toEqual([0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255, 0]);
  });
});

describe('fsError', () => {
  const e = (code: string) => Object.assign(new Error(code), { code });
  it('maps errno codes to failure kinds', () => {
    expect(fsError(e('ENOENT'), 'f').kind).toBe('file_missing');
    expect(fsError(e('EACCES'), 'f').kind).toBe('permission_denied');
    expect(fsError(e('EPERM'), 'f').kind).toBe('permission_denied');
    expect(fsError(e('EISDIR'), 'f').kind).toBe('unsupported_format');
    expect(fsError(e('EIO'), 'f').kind).toBe('engine_error');
  });
});
