import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fsTypeOf, networkFsType, parseMounts } from './fstype';
import { compileGlob } from './glob';
import { createIgnore } from './ignore';

describe('ignore globs', () => {
  const m = (pattern: string, path: string) => compileGlob(pattern, false).matches(path);
  it('matches names at any depth, anchored paths, ** and classes', () => {
    expect(m('*.bak.png', 'a/b/c.bak.png')).toBe(true);
    expect(m('*.bak.png', 'c.png')).toBe(false);
    expect(m('drafts', 'x/drafts/page.png')).toBe(true); // a matched folder ignores its contents
    expect(m('scans/old', 'scans/old/1.png')).toBe(true);
    expect(m('scans/old', 'other/scans/old/1.png')).toBe(false); // a slash anchors the pattern
    expect(m('**/tmp/*.png', 'a/b/tmp/x.png')).toBe(true);
    expect(m('**/tmp/*.png', 'tmp/x.png')).toBe(true);
    expect(m('page-?.png', 'page-1.png')).toBe(true);
    expect(m('page-?.png', 'page-10.png')).toBe(false);
    expect(m('[ab]*.pdf', 'b1.pdf')).toBe(true);
    expect(m('[!ab]*.pdf', 'b1.pdf')).toBe(false);
    expect(m('a+b (1).png', 'a+b (1).png')).toBe(true); // regex characters are literal
  });
  it('refuses empty and broken patterns with a message', () => {
    expect(() => compileGlob(' ')).toThrow(/empty/);
    expect(() => compileGlob('[abc')).toThrow(/not a valid glob/);
  });
  it('combines the ingest rules, folder patterns, outputs and excluded folders', () => {
    const root = '/w';
    const ign = createIgnore({ root, patterns: ['*.bak.png'], excludedDirs: ['/w/out', '/elsewhere'] });
    expect(ign('/w')).toBe(false);
    expect(ign('/w/a/scan.png')).toBe(false);
    expect(ign('/w/.git/scan.png')).toBe(true);
    expect(ign('/w/~$doc.png')).toBe(true);
    expect(ign('/w/a/x.png.part')).toBe(true);
    expect(ign('/w/a/old.bak.png')).toBe(true);
    expect(ign('/w/out/a.png')).toBe(true);
    expect(ign('/w/report.pdf.ocr.pdf')).toBe(true);
    expect(ign(join('/w', 'readme.txt'), { isFile: () => true } as never)).toBe(true);
    expect(ign(join('/w', 'folder.txt'), { isFile: () => false } as never)).toBe(false);
  });
});

describe('network file systems', () => {
  const mounts = [
    '/dev/vda / ext4 rw,relatime 0 0',
    'server:/export /mnt/nas nfs4 rw,relatime 0 0',
    '//host/share /mnt/smb\\040share cifs rw 0 0',
    '/dev/sdb1 /mnt/nas/local ext4 rw 0 0',
    'user@h:/x /home/me/remote fuse.sshfs rw 0 0',
  ].join('\n');
  it('takes the longest mount point holding the folder', () => {
    const m = parseMounts(mounts);
    expect(fsTypeOf('/mnt/nas/scans', m)).toBe('nfs4');
    expect(fsTypeOf('/mnt/nas/local/scans', m)).toBe('ext4');
    expect(fsTypeOf('/mnt/nasty', m)).toBe('ext4');
    expect(fsTypeOf('/mnt/smb share/in', m)).toBe('cifs');
  });
  it('reports network types only', () => {
    const read = () => mounts;
    expect(networkFsType('/mnt/nas/scans', 'linux', read)).toBe('nfs4');
    expect(networkFsType('/home/me/remote/a', 'linux', read)).toBe('fuse.sshfs');
    expect(networkFsType('/home/me/scans', 'linux', read)).toBeNull();
    expect(networkFsType('\\\\server\\share\\scans', 'win32', read)).toMatch(/smb/);
    expect(networkFsType('C:\\scans', 'win32', read)).toBeNull();
    expect(networkFsType('/Volumes/x', 'darwin', read)).toBeNull();
  });
  it('reads this machine\'s /proc/mounts without failing', () => {
    expect(() => networkFsType(process.cwd())).not.toThrow();
  });
});
