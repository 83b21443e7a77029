/**
 * The README's "What Quire reads" table and the code agree, row by row (issue 13 item 2): every
 * extension a row lists is picked up by ingest, every extension ingest picks up is in a row, each
 * row's files are recognised by their bytes as that row's format, HEVC photos fail with
 * unsupported_format as the README says, and any other extension is not queued but named.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kindForPath, SUPPORTED_EXTENSIONS } from '../src/core/ingest/formats';
import { walk } from '../src/core/ingest/walk';
import { checkHeif } from '../src/core/ocr/heif';
import { type Format, sniffFormat } from '../src/core/ocr/sniff';
import { REPO_ROOT, tempDir } from './helpers';

interface Row {
  input: string;
  extensions: string[];
  how: string;
}

function formatRows(): Row[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## What Quire reads'));
  const table = section.slice(section.indexOf('| input | extensions |'));
  const lines = table.split('\n');
  const rows: Row[] = [];
  for (const line of lines.slice(2)) {
    if (!line.startsWith('|')) break;
    const [input, exts, how] = line.split('|').slice(1, -1).map((c) => c.trim());
    rows.push({ input: input!, extensions: [...exts!.matchAll(/`(\.[a-z0-9]+)`/g)].map((m) => m[1]!), how: how! });
  }
  return rows;
}

const ROWS = formatRows();
const row = (start: string) => {
  const r = ROWS.find((x) => x.input.startsWith(start));
  if (!r) throw new Error(`README's format table has no row starting "${start}"`);
  return r;
};

/** The first bytes of a file of each format, as the worker sniffs them. */
const ascii = (s: string) => Buffer.from(s, 'latin1');
const ftyp = (brand: string) => Buffer.concat([Buffer.from([0, 0, 0, 16]), ascii(`ftyp${brand}\0\0\0\0`), Buffer.alloc(16)]);
const SAMPLES: Record<string, { bytes: Buffer; format: Format }> = {
  '.png': { bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), format: 'png' },
  '.jpg': { bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]), format: 'jpeg' },
  '.gif': { bytes: ascii('GIF89a\0\0\0\0'), format: 'gif' },
  '.webp': { bytes: ascii('RIFF\0\0\0\0WEBPVP8 '), format: 'webp' },
  '.tif': { bytes: Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]), format: 'tiff' },
  '.avif': { bytes: ftyp('avif'), format: 'heif' },
  '.jp2': { bytes: Buffer.from([0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a, 0, 0]), format: 'jp2' },
  '.j2k': { bytes: Buffer.from([0xff, 0x4f, 0xff, 0x51, 0, 0]), format: 'jp2' },
  '.bmp': { bytes: Buffer.concat([ascii('BM'), Buffer.alloc(40)]), format: 'bmp' },
  '.pgm': { bytes: ascii('P5 10 10 255\n'), format: 'pnm' },
  '.pdf': { bytes: ascii('%PDF-1.7\n'), format: 'pdf' },
  '.heic': { bytes: ftyp('heic'), format: 'heif' },
};

describe("README's format table against the code", () => {
  it('lists every extension ingest picks up, each once, and no other', () => {
    const listed = ROWS.flatMap((r) => r.extensions);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual([...SUPPORTED_EXTENSIONS].sort());
  });

  it.each([
    ['PNG, JPEG', ['.png', '.jpg', '.gif', '.webp', '.tif', '.avif']],
    ['JPEG 2000', ['.jp2', '.j2k']],
    ['BMP', ['.bmp']],
    ['PBM, PGM', ['.pgm']],
    ['PDF', ['.pdf']],
    ['HEIC', ['.heic']],
  ])('row "%s": its extensions are picked up (any case) and its files recognised by their bytes', (start, samples) => {
    const r = row(start);
    expect(r.extensions.length).toBeGreaterThan(0);
    for (const ext of r.extensions) {
      expect(kindForPath(`/s/a${ext}`), ext).not.toBeNull();
      expect(kindForPath(`/s/a${ext.toUpperCase()}`), ext).not.toBeNull();
    }
    for (const ext of samples) {
      expect(r.extensions).toContain(ext);
      expect(sniffFormat(SAMPLES[ext]!.bytes), ext).toBe(SAMPLES[ext]!.format);
    }
  });

  it('HEIC: HEVC photos fail with unsupported_format, as the row says; AV1 HEIF is read', () => {
    expect(row('HEIC').how).toContain('fails with `unsupported_format`');
    expect(() => checkHeif(SAMPLES['.heic']!.bytes)).toThrow(expect.objectContaining({ kind: 'unsupported_format' }));
    expect(() => checkHeif(ftyp('avif'))).not.toThrow();
  });

  it('a known extension with other bytes fails with unsupported_format; any other extension is not queued but named', async () => {
    expect(row('a file with one of these extensions').how).toBe('fails with `unsupported_format`');
    expect(sniffFormat(ascii('just some text'))).toBeNull();
    const other = row('any other extension');
    expect(other.extensions).toEqual([]);
    expect(other.how).toMatch(/^not queued: named with the reason `unsupported_format`/);
    const dir = tempDir();
    mkdirSync(join(dir, 'in'));
    for (const n of ['notes.txt', 'letter.docx', 'scan.png']) writeFileSync(join(dir, 'in', n), 'x');
    const seen: [string, string][] = [];
    await walk([join(dir, 'in')], 4, {
      file: (f) => seen.push([f.path, 'queued']),
      unsupported: (p, _why, reason) => seen.push([p, reason]),
      unreadable: (p, _why, reason) => seen.push([p, reason]),
      ignored: () => {},
    });
    expect(seen.sort()).toEqual([
      [join(dir, 'in', 'letter.docx'), 'unsupported_format'],
      [join(dir, 'in', 'notes.txt'), 'unsupported_format'],
      [join(dir, 'in', 'scan.png'), 'queued'],
    ]);
  });
});
