import { describe, expect, it } from 'vitest';
import { mapPath, parsePathMappings, pathMapper } from './path-mappings';
import { parseSettingValue, resolveConfig } from './config';

describe('path_mappings', () => {
  it('parses from=>to pairs separated by ;, trimming spaces and trailing separators', () => {
    expect(parsePathMappings('')).toEqual([]);
    expect(parsePathMappings(' /mnt/scans/ => /Volumes/scans ; D:\\Scans=>/mnt/d ;')).toEqual([
      { from: '/mnt/scans', to: '/Volumes/scans' },
      { from: 'D:\\Scans', to: '/mnt/d' },
    ]);
  });

  it('refuses malformed text with a message that says what is wrong', () => {
    expect(parsePathMappings('/a')).toBe('"/a" is not one from=>to pair');
    expect(parsePathMappings('/a=>')).toBe('"/a=>" needs a path on both sides of =>');
    expect(parsePathMappings('/a=>/b=>/c')).toBe('"/a=>/b=>/c" is not one from=>to pair');
    expect(parsePathMappings('/a=>/b;/a/=>/c')).toBe('"/a" is mapped twice');
    expect(() => parseSettingValue('path_mappings', '/mnt/scans')).toThrow(/Invalid value "\/mnt\/scans" for path_mappings: it accepts prefix pairs from=>to/);
    expect(() => resolveConfig({ path_mappings: 'nope' }, {})).toThrow(/the saved setting path_mappings/);
    expect(resolveConfig({}, { QUIRE_PATH_MAPPINGS: '/a=>/b' }).config.path_mappings).toBe('/a=>/b');
    expect(resolveConfig({}, {}).config.path_mappings).toBe('');
  });

  it('maps whole path components, the longest prefix winning', () => {
    const m = parsePathMappings('/mnt/scans=>/Volumes/scans;/mnt/scans/deep=>/other;D:\\Scans=>/mnt/d') as never;
    expect(mapPath(m, '/mnt/scans/a.png')).toBe('/Volumes/scans/a.png');
    expect(mapPath(m, '/mnt/scans')).toBe('/Volumes/scans');
    expect(mapPath(m, '/mnt/scans2/a.png')).toBe('/mnt/scans2/a.png');
    expect(mapPath(m, '/mnt/scans/deep/b.png')).toBe('/other/b.png');
    expect(mapPath(m, '/elsewhere/a.png')).toBe('/elsewhere/a.png');
    // A Windows share read on a POSIX machine: separators follow the target.
    expect(mapPath(m, 'D:\\Scans\\2024\\c.tif')).toBe('/mnt/d/2024/c.tif');
    expect(mapPath(parsePathMappings('/srv/in=>\\\\nas\\in') as never, '/srv/in/x/y.png')).toBe('\\\\nas\\in\\x\\y.png');
  });

  it('leaves a path this machine has as recorded (shared settings reach the ingesting machine too)', () => {
    const present = new Set(['/mnt/scans/here.png']);
    const map = pathMapper('/mnt/scans=>/Volumes/scans', (p) => present.has(p));
    expect(map('/mnt/scans/here.png')).toBe('/mnt/scans/here.png');
    expect(map('/mnt/scans/elsewhere.png')).toBe('/Volumes/scans/elsewhere.png');
    expect(pathMapper('')('/mnt/scans/x')).toBe('/mnt/scans/x');
  });
});
