/**
 * The real engine on real files (test/fixtures/ocr, see SOURCES.md there). Kept small: each
 * tesseract page costs 0.05-2 s on these images.
 */
import { readInput } from './fs-errors';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../../../test/helpers';
import { cer, flatePdf, jpegPdf } from '../../../test/ocr-helpers';
import { silentLogger } from '../logger';
import { readEnvironment } from '../config/environment';
import { openPdf } from './pdf';
import { createTesseractEngine } from './tesseract';
import type { OcrEngine } from './types';

const FIX = join(REPO_ROOT, 'test', 'fixtures', 'ocr');
const fx = (name: string) => join(FIX, name);
const gt = (name: string) => readFileSync(fx(name), 'utf8');
const PHOTOTEST_GT = gt('tesstest-phototest.gt.txt');

let engine: OcrEngine;
beforeAll(async () => {
  engine = await createTesseractEngine({ languages: 'eng', langPath: readEnvironment().tessdataDir, keepExistingText: false });
});
afterAll(async () => {
  await engine.close();
});

// As the worker does: read the file once, hand the engine its bytes.
const input = async (path: string, kind = '') => ({ path, kind, bytes: await readInput(path) });
const ocr = async (path: string) => engine.recognize(await input(path));
const kindOf = async (path: string) => {
  try {
    await ocr(path);
    return 'ok';
  } catch (err) {
    return (err as { kind?: string }).kind ?? String(err);
  }
};

describe('tesseract engine: image formats (sniffed, not by extension)', () => {
  it.each(['tessjs-simple-png.png', 'tessjs-simple-gif.gif', 'tessjs-simple-webp.webp', 'tessjs-simple-pbm.pbm', 'tessjs-simple-bmp.bmp'])(
    'reads %s',
    async (name) => {
      const r = await ocr(fx(name));
      expect(r.text).toBe('Tesseract.js');
      expect(r.pages).toEqual([{ pageNo: 1, text: 'Tesseract.js', confidence: expect.any(Number), source: 'ocr' }]);
      // The worker hashes the bytes it hands over and records that hash; the engine does not hash again.
      expect(r.contentHash).toBeNull();
      expect(r.engine).toMatch(/^tesseract\.js 7\./);
      expect(r.languages).toBe('eng');
      expect(r.confidence).toBeGreaterThan(80);
    },
  );

  it('reads a PNG named .jpg', async () => {
    const r = await ocr(fx('bad-png-named-as.jpg'));
    expect(cer(r.text, gt('bad-png-named-as.gt.txt')).cer).toBeLessThan(0.02);
  });

  it('reads 8-bit PGM and PPM (our own PNM decoder), including comments in the header', async () => {
    const dir = tempDir();
    const { data, info } = await sharp(fx('tesstest-phototest.tif')).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    const pgm = join(dir, 'p.pgm');
    writeFileSync(pgm, Buffer.concat([Buffer.from(`P5\n# scanner\n${info.width} ${info.height}\n255\n`), data]));
    const rgb = Buffer.alloc(data.length * 3);
    data.forEach((v, i) => rgb.fill(v, i * 3, i * 3 + 3));
    const ppm = join(dir, 'p.ppm');
    writeFileSync(ppm, Buffer.concat([Buffer.from(`P6 ${info.width} ${info.height} 255\n`), rgb]));
    for (const f of [pgm, ppm]) expect(cer((await ocr(f)).text, PHOTOTEST_GT).cer).toBeLessThan(0.02);
  });

  it('honours EXIF orientation (90 and 180 degrees held only in EXIF)', async () => {
    expect((await ocr(fx('tessjs-simple-90-exif.jpg'))).text).toBe('Tesseract.js');
    expect((await ocr(fx('tessjs-simple-180-exif.jpg'))).text).toBe('Tesseract.js');
  });

  it('reads every page of a multi-page TIFF and reports progress as each page starts', async () => {
    const progress: [number, number][] = [];
    const r = await engine.recognize(await input(fx('charlesw-multi-page.tif'), 'image/tiff'), { onProgress: (p, n) => progress.push([p, n]) });
    expect(r.text).toBe('Page 1\fPage 2\fPage 3');
    expect(r.pages.map((p) => p.pageNo)).toEqual([1, 2, 3]);
    expect(progress).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it('gives a blank page as a completed result with empty text', async () => {
    const r = await ocr(fx('charlesw-empty.png'));
    expect(r.text).toBe('');
    expect(r.pages).toEqual([{ pageNo: 1, text: '', confidence: null, source: 'ocr' }]);
    expect(r.confidence).toBeNull();
  });
});

describe('tesseract engine: orientation', () => {
  it.each([90, 180, 270])('reads a page rotated by %i degrees', async (deg) => {
    const dir = tempDir();
    const path = join(dir, `rot${deg}.png`);
    await sharp(fx('tesstest-phototest.tif')).rotate(deg).png().toFile(path);
    const r = await ocr(path);
    expect(cer(r.text, PHOTOTEST_GT).cer).toBeLessThan(0.03);
    for (const w of ['quick', 'brown', 'jumped', 'lazy', 'format.']) expect(r.text).toContain(w);
  });
});

describe('tesseract engine: PDF', () => {
  it('extracts a born-digital PDF from its text layer, without OCR', async () => {
    const r = await ocr(fx('pypdf-pdflatex-4-pages.pdf'));
    expect(r.pages.map((p) => p.source)).toEqual(['text_layer', 'text_layer', 'text_layer', 'text_layer']);
    expect(r.pages.every((p) => p.confidence === null)).toBe(true);
    // The same text as poppler's pdftotext gives; only whitespace (blank lines between paragraphs) may differ.
    const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
    expect(norm(r.text)).toBe(norm(gt('pypdf-pdflatex-4-pages.gt.txt')));
    expect(r.text.split('\f')).toHaveLength(4);
  });

  it('OCRs a scanned page (image-only PDF)', async () => {
    const r = await ocr(fx('ocrmypdf-aspect.pdf'));
    expect(r.pages).toEqual([{ pageNo: 1, text: 'This should be a perfect circle.', confidence: expect.any(Number), source: 'ocr' }]);
  });

  it('treats an invisible OCR text layer as a scan unless keep_existing_text', async () => {
    const r = await ocr(fx('ocrmypdf-graph_ocred.pdf'));
    expect(r.pages[0]?.source).toBe('ocr');
    const keeping = await createTesseractEngine({ languages: 'eng', langPath: readEnvironment().tessdataDir, keepExistingText: true });
    try {
      const k = await keeping.recognize(await input(fx('ocrmypdf-graph_ocred.pdf')));
      expect(k.pages[0]?.source).toBe('text_layer');
      expect(k.text.length).toBeGreaterThan(20);
    } finally {
      await keeping.close();
    }
  });

  it.each(['jpeg', 'flate'])('takes a scanned page (%s) out of the PDF and decodes it natively', async (kind) => {
    const dir = tempDir();
    const { data, info } = await sharp(fx('tesstest-phototest.tif')).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    const jpeg = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).jpeg({ quality: 90 }).toBuffer();
    const pdf = kind === 'jpeg' ? jpegPdf(jpeg, info.width, info.height, 1, 200) : flatePdf(data, info.width, info.height, 1, 200);
    const path = join(dir, 'scan.pdf');
    writeFileSync(path, pdf);
    const doc = await openPdf(pdf, { keepExistingText: false, logger: silentLogger });
    try {
      const page = await doc.page(1);
      expect(page.kind === 'image' && page.via).toBe('native');
    } finally {
      await doc.close();
    }
    const r = await ocr(path);
    expect(r.pages[0]?.source).toBe('ocr');
    expect(cer(r.text, PHOTOTEST_GT).cer).toBeLessThan(0.02);
  });
});

describe('tesseract engine: broken inputs fail with the right kind', () => {
  it.each([
    ['bad-truncated.png', 'corrupt_file'],
    ['bad-zero-bytes.png', 'corrupt_file'],
    ['bad-text-renamed.png', 'unsupported_format'],
    ['ocrmypdf-invalid.pdf', 'corrupt_file'],
    ['pypdf-libreoffice-writer-password.pdf', 'password_protected'],
    ['does-not-exist.png', 'file_missing'],
  ])('%s -> %s', async (name, kind) => {
    expect(await kindOf(fx(name))).toBe(kind);
  });

  it('degrades gracefully on a PDF with one damaged stream', async () => {
    const r = await ocr(fx('pdfminer-zen_of_python_corrupted.pdf'));
    expect(r.text).toContain('Beautiful is better than ugly.');
  });

  it('rejects an image above the pixel limit before decoding it (too_large)', async () => {
    const dir = tempDir();
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } }).png().toBuffer();
    // Claim 20000 x 20000 in the header (400 MP): a decompression bomb's shape.
    png.writeUInt32BE(20000, 16);
    png.writeUInt32BE(20000, 20);
    png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
    const path = join(dir, 'bomb.png');
    writeFileSync(path, png);
    expect(await kindOf(path)).toBe('too_large');
  });
});

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
