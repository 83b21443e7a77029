import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers';
import { createFakeEngine, parseFakeSwitches } from './fake';
import type { OcrError } from './types';

describe('fake OCR engine', () => {
  const dir = tempDir();
  const file = (name: string, content: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };

  it('returns the text of a text file, page per form feed, deterministically, with progress', async () => {
    const e = await createFakeEngine();
    const p = file('a.png', 'hello world\fsecond page');
    const progress: number[][] = [];
    const r = await e.recognize({ path: p, kind: 'image/png' }, { onProgress: (a, b) => progress.push([a, b]) });
    expect(r.text).toBe('hello world\fsecond page');
    expect(r.pages.map((x) => x.pageNo)).toEqual([1, 2]);
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(r.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await e.recognize({ path: p, kind: '' })).text).toBe(r.text);
  });

  it('gives binary files a hash-derived text and honours FAKE:pages', async () => {
    const e = await createFakeEngine();
    const bin = await e.recognize({ path: file('b.png', Buffer.from([0, 1, 2, 255])), kind: '' });
    expect(bin.text).toMatch(/^fake [0-9a-f]{16}$/);
    const many = await e.recognize({ path: file('FAKE:pages:3 doc.png', Buffer.from([0, 1])), kind: '' });
    expect(many.pages).toHaveLength(3);
  });

  it('fails with the kind asked for, in the name or the content', async () => {
    const e = await createFakeEngine();
    await expect(e.recognize({ path: file('x FAKE:fail:corrupt_file.png', 'x'), kind: '' })).rejects.toMatchObject({ kind: 'corrupt_file' });
    await expect(e.recognize({ path: file('y.png', 'FAKE:fail:timeout'), kind: '' })).rejects.toMatchObject({ kind: 'timeout' });
    await expect(e.recognize({ path: join(dir, 'missing.png'), kind: '' })).rejects.toMatchObject({ kind: 'file_missing' });
    const err = await e.recognize({ path: file('z.png', 'FAKE:throw'), kind: '' }).catch((x: OcrError) => x);
    expect(err).toBeInstanceOf(Error);
    expect((err as OcrError).kind).toBeUndefined();
  });

  it('hangs on FAKE:hang and waits FAKE:delay per page', async () => {
    const e = await createFakeEngine();
    const hung = await Promise.race([
      e.recognize({ path: file('h.png', 'FAKE:hang'), kind: '' }).then(() => 'settled'),
      new Promise((r) => setTimeout(() => r('still pending'), 200)),
    ]);
    expect(hung).toBe('still pending');
    expect(parseFakeSwitches('FAKE:delay:50 FAKE:alloc:10').delay).toBe(50);
  });

  it('kills its process on FAKE:crash', () => {
    const p = file('c.png', 'FAKE:crash');
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', `import('${join(import.meta.dirname, 'fake.ts')}').then(async (m) => (await m.createFakeEngine()).recognize({ path: ${JSON.stringify(p)}, kind: '' }))`],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.signal).toBe('SIGKILL');
  });
});
