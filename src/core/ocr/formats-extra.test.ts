/**
 * Formats beyond sharp's own: JPEG 2000 (files, bare codestreams, JPX images inside PDFs) through
 * pdfjs's OpenJPEG, AVIF through sharp, and HEIC refused with its reason. Real OCR on fixtures
 * from test/fixtures/ocr (SOURCES.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../../../test/helpers';
import { cer, jpxPdf } from '../../../test/ocr-helpers';
import { kindForPath } from '../ingest/formats';
import { heifCodec } from './heif';
import { jpxInfo } from './jpx';
import { readEnvironment } from '../config/environment';
const defaultTessdataDir = () => readEnvironment().tessdataDir;
import { sniffFormat } from './sniff';
import { createTesseractEngine } from './tesseract';
import type { OcrEngine } from './types';
const inputOf = (path: string) => ({ path, kind: '', bytes: readFileSync(path) });

const fx = (name: string) => join(REPO_ROOT, 'test', 'fixtures', 'ocr', name);
const JP2 = readFileSync(fx('pytess-test-jp2.jp2'));
const PHOTOTEST = readFileSync(fx('pytess-test-jp2.gt.txt'), 'utf8');

/** The codestream inside a JP2 file's 'jp2c' box: what a .j2k file holds. */
function codestream(jp2: Buffer): Buffer {
  for (let at = 0; at + 8 <= jp2.length; ) {
    const len = jp2.readUInt32BE(at);
    if (jp2.toString('latin1', at + 4, at + 8) === 'jp2c') return jp2.subarray(at + 8, len ? at + len : jp2.length);
    if (len < 8) break;
    at += len;
  }
  throw new Error('no jp2c box');
}

let engine: OcrEngine;
beforeAll(async () => {
  engine = await createTesseractEngine({ languages: 'eng', langPath: defaultTessdataDir(), keepExistingText: false });
});
afterAll(async () => {
  await engine.close();
});

const write = (name: string, bytes: Buffer) => {
  const p = join(tempDir(), name);
  writeFileSync(p, bytes);
  return p;
};
const failure = (path: string) =>
  engine.recognize(inputOf(path)).then(
    () => null,
    (err: { kind?: string; message: string }) => ({ kind: err.kind, message: err.message }),
  );

describe('JPEG 2000', () => {
  it('is picked up at ingest by its extensions and recognised by its bytes', () => {
    for (const ext of ['.jp2', '.JPX', '.jpf', '.j2k', '.j2c', '.jpc']) expect(kindForPath(`a${ext}`)).not.toBeNull();
    expect(sniffFormat(JP2)).toBe('jp2');
    expect(sniffFormat(codestream(JP2))).toBe('jp2');
    expect(jpxInfo(JP2)).toEqual({ width: 640, height: 480, dpi: undefined });
    expect(jpxInfo(codestream(JP2))).toMatchObject({ width: 640, height: 480 });
  });

  it('reads a JP2 file', async () => {
    const r = await engine.recognize(inputOf(fx('pytess-test-jp2.jp2')));
    expect(cer(r.text, PHOTOTEST).cer).toBeLessThan(0.02);
  });

  it('reads a bare codestream (.j2k)', async () => {
    const r = await engine.recognize(inputOf(write('test.j2k', codestream(JP2))));
    expect(cer(r.text, PHOTOTEST).cer).toBeLessThan(0.02);
  });

  it('reads a PDF whose page is a JPXDecode image', async () => {
    const r = await engine.recognize(inputOf(write('jpx.pdf', jpxPdf(JP2, 640, 480, 3))));
    expect(r.pages[0]?.source).toBe('ocr');
    expect(cer(r.text, PHOTOTEST).cer).toBeLessThan(0.02);
  });

  it('fails a truncated or headerless JPEG 2000 file as corrupt_file', async () => {
    expect(await failure(write('cut.jp2', JP2.subarray(0, 60)))).toMatchObject({ kind: 'corrupt_file' });
    expect(await failure(write('cut.j2k', codestream(JP2).subarray(0, 20)))).toMatchObject({ kind: 'corrupt_file' });
  });
});

describe('HEIF family', () => {
  it('reads AVIF (AV1 in HEIF) with sharp', async () => {
    expect(kindForPath('IMG_0001.avif')).toBe('image/avif');
    const bytes = readFileSync(fx('tessjs-simple-avif.avif'));
    expect(sniffFormat(bytes)).toBe('heif');
    expect(heifCodec(bytes)).toBe('av1');
    const r = await engine.recognize(inputOf(fx('tessjs-simple-avif.avif')));
    expect(r.text).toBe('Tesseract.js');
  });

  it('fails an HEIC photo (HEVC) as unsupported_format, saying why and what to do', async () => {
    // The start of an iPhone HEIC: 'ftyp' with major brand heic, compatible mif1/miaf/heic.
    const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]);
    const heic = Buffer.concat([ftyp, Buffer.alloc(200, 0)]);
    expect(kindForPath('IMG_0001.HEIC')).toBe('image/heic');
    expect(sniffFormat(heic)).toBe('heif');
    expect(heifCodec(heic)).toBe('hevc');
    const f = await failure(write('IMG_0001.HEIC', heic));
    expect(f?.kind).toBe('unsupported_format');
    expect(f?.message).toMatch(/HEVC/);
    expect(f?.message).toMatch(/JPEG/);
  });
});
