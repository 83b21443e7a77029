import { describe, expect, it } from 'vitest';
import { baseName, bytes, dirName, isFullPath, minutes, plural } from './format';

describe('display helpers', () => {
  it('splits paths on either separator', () => {
    expect(baseName('/home/me/Scans/letter.tif')).toBe('letter.tif');
    expect(dirName('/home/me/Scans/letter.tif')).toBe('/home/me/Scans');
    expect(baseName('C:\\Scans\\a b.pdf')).toBe('a b.pdf');
    expect(dirName('C:\\Scans\\a b.pdf')).toBe('C:\\Scans');
    expect(baseName('plain')).toBe('plain');
    expect(dirName('/top')).toBe('');
  });

  it('tells full paths from relative ones', () => {
    expect(isFullPath('/home/me/Scans')).toBe(true);
    expect(isFullPath('C:\\Scans')).toBe(true);
    expect(isFullPath('d:/Scans')).toBe(true);
    expect(isFullPath('\\\\server\\share')).toBe(true);
    expect(isFullPath('Scans/2024')).toBe(false);
    expect(isFullPath('~/Scans')).toBe(false);
  });

  it('formats sizes, minutes and counts', () => {
    expect(bytes(512)).toBe('512 B');
    expect(bytes(1536)).toBe('1.5 KB');
    expect(minutes(0.5)).toBe('30 s');
    expect(minutes(90)).toBe('1.5 h');
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(2, 'file')).toBe('2 files');
  });
});
