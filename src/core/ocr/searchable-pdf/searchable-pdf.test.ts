/**
 * Searchable PDF output, checked with poppler (pdftotext, pdfimages, pdftoppm) and pdf.js: page
 * images kept as they were (colour, resolution, JPEG bytes), text extracting as Quire's text, words
 * over the image's ink, born-digital pages untouched.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../../../../test/helpers';
import { cer, jpegPdf } from '../../../../test/ocr-helpers';
import { silentLogger } from '../../logger';
import { readEnvironment } from '../../config/environment';
const defaultTessdataDir = () => readEnvironment().tessdataDir;
import { openPdf } from '../pdf';
import { createTesseractEngine } from '../tesseract';
import type { OcrEngine } from '../types';
import { PdfWriter, num } from '../pdf-writer';
import { createSearchablePdf } from './index';
const inputOf = (path: string) => ({ path, kind: '', bytes: readFileSync(path) });

const fx = (name: string) => join(REPO_ROOT, 'test', 'fixtures', 'ocr', name);
const OPTS = { languages: 'eng', langPath: defaultTessdataDir(), keepExistingText: false };
const norm = (s: string) => s.replace(/\s+/gu, ' ').trim();

function saved(pdf: Buffer): string {
  const p = join(tempDir(), 'out.pdf');
  writeFileSync(p, pdf);
  return p;
}
const pdftotext = (path: string, ...args: string[]) => execFileSync('pdftotext', [...args, path, '-'], { encoding: 'utf8' });
const pdfimages = (path: string) =>
  execFileSync('pdfimages', ['-list', path], { encoding: 'utf8' })
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((l) => l.trim().split(/\s+/));

let engine: OcrEngine;
beforeAll(async () => {
  engine = await createTesseractEngine(OPTS);
});
afterAll(async () => {
  await engine.close();
});

/** Every word of the text layer covers ink on the page as poppler draws it. */
function wordsOnInk(path: string): { words: number; onInk: number } {
  const dir = tempDir();
  execFileSync('pdftoppm', ['-r', '72', '-gray', '-f', '1', '-l', '1', path, join(dir, 'p')]);
  const pgm = readFileSync(join(dir, readdirSync(dir)[0] as string));
  const [, w, h] = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString('latin1', 0, 40)) ?? [];
  const width = Number(w);
  const height = Number(h);
  const px = pgm.subarray(pgm.length - width * height);
  const boxes = [...pdftotext(path, '-bbox', '-f', '1', '-l', '1').matchAll(/xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"/g)].map((m) => m.slice(1).map(Number));
  let onInk = 0;
  for (const [x0, y0, x1, y1] of boxes as [number, number, number, number][]) {
    let dark = 0;
    for (let y = Math.floor(y0); y < Math.min(height, Math.ceil(y1)); y++) for (let x = Math.floor(x0); x < Math.min(width, Math.ceil(x1)); x++) if ((px[y * width + x] as number) < 128) dark++;
    if (dark > 0) onInk++;
  }
  return { words: boxes.length, onInk };
}

describe('searchable PDF from image files', () => {
  it('keeps a colour page in colour, losslessly, at its resolution, with the text over the words', async () => {
    // phototest as red text on yellow, 200 dpi.
    const { data, info } = await sharp(readFileSync(fx('tesstest-phototest.tif'))).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    const rgb = Buffer.alloc(info.width * info.height * 3);
    for (let i = 0; i < info.width * info.height; i++) rgb.set((data[i] as number) < 128 ? [200, 0, 0] : [255, 230, 80], i * 3);
    const png = await sharp(rgb, { raw: { width: info.width, height: info.height, channels: 3 } }).png().withMetadata({ density: 200 }).toBuffer();
    const source = join(tempDir(), 'red-on-yellow.png');
    writeFileSync(source, png);
    const pdf = saved(await createSearchablePdf(png, OPTS));
    const [img] = pdfimages(pdf);
    expect(img?.slice(3, 8)).toEqual(['640', '480', 'rgb', '3', '8']); // width height color comp bpc
    expect(img?.slice(12, 14)).toEqual(['200', '200']); // x-ppi y-ppi
    // Lossless: the pixels come back exactly.
    const dir = tempDir();
    execFileSync('pdfimages', ['-png', pdf, join(dir, 'img')]);
    const back = await sharp(join(dir, readdirSync(dir)[0] as string)).raw().toBuffer();
    expect(back.equals(rgb)).toBe(true);
    // The text layer is Quire's text, and each word lies on ink.
    const quire = await engine.recognize(inputOf(source));
    expect(norm(pdftotext(pdf))).toBe(norm(quire.text));
    const ink = wordsOnInk(pdf);
    expect(ink.words).toBeGreaterThan(50);
    expect(ink.onInk).toBe(ink.words);
  });

  it('passes JPEG bytes through untouched and shows them the EXIF way up', async () => {
    const jpeg = readFileSync(fx('tessjs-simple-90-exif.jpg'));
    const out = await createSearchablePdf(jpeg, OPTS);
    expect(out.indexOf(jpeg)).toBeGreaterThan(0);
    const pdf = saved(out);
    expect(pdfimages(pdf)[0]?.[8]).toBe('jpeg');
    expect(norm(pdftotext(pdf))).toBe('Tesseract.js');
    // EXIF orientation 6: stored 180x320 (sideways), shown 320x180 the right way up.
    const size = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }));
    expect(Number(size?.[1])).toBeGreaterThan(Number(size?.[2]));
    expect(wordsOnInk(pdf).onInk).toBe(1);
  });

  it('gives one page per TIFF page, each with its own text', async () => {
    const progress: number[] = [];
    const pdf = saved(await createSearchablePdf(readFileSync(fx('charlesw-multi-page.tif')), { ...OPTS, onProgress: (p) => progress.push(p) }));
    expect(progress).toEqual([1, 2, 3]);
    expect(pdftotext(pdf).split('\f').map(norm).filter(Boolean)).toEqual(['Page 1', 'Page 2', 'Page 3']);
    // pdf.js reads the pages as text (the layer) and, without keep_existing_text, as scans.
    const doc = await openPdf(readFileSync(pdf), { keepExistingText: true, logger: silentLogger });
    try {
      expect(await doc.page(2)).toMatchObject({ kind: 'text', text: 'Page 2' });
    } finally {
      await doc.close();
    }
    const asScan = await openPdf(readFileSync(pdf), { keepExistingText: false, logger: silentLogger });
    try {
      expect((await asScan.page(1)).kind).toBe('image');
    } finally {
      await asScan.close();
    }
  });

  it('shows a skewed page straightened (image untouched) with level, extractable text', async () => {
    const png = readFileSync(fx('tess4j-eurotext_deskew.png'));
    const pdf = saved(await createSearchablePdf(png, OPTS));
    expect(cer(pdftotext(pdf), readFileSync(fx('tess4j-eurotext_deskew.gt.txt'), 'utf8')).cer).toBeLessThan(0.05);
    const ink = wordsOnInk(pdf);
    expect(ink.onInk).toBe(ink.words);
  });
});

describe('searchable PDF from PDFs', () => {
  it('leaves born-digital pages untouched: same text out as in', async () => {
    const src = fx('pypdf-pdflatex-4-pages.pdf');
    const pdf = saved(await createSearchablePdf(readFileSync(src), OPTS));
    expect(pdftotext(pdf)).toBe(pdftotext(src));
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/Pages:\s+4/);
  });

  it('keeps a scanned page as it was (JPEG stream untouched) and adds the text layer', async () => {
    const jpeg = await sharp(readFileSync(fx('tesstest-phototest.tif'))).toColourspace('b-w').jpeg({ quality: 90 }).toBuffer();
    const source = jpegPdf(jpeg, 640, 480, 1, 200);
    const out = await createSearchablePdf(source, OPTS);
    expect(out.indexOf(jpeg)).toBeGreaterThan(0);
    const pdf = saved(out);
    const srcPath = join(tempDir(), 'scan.pdf');
    writeFileSync(srcPath, source);
    const quire = await engine.recognize(inputOf(srcPath));
    expect(norm(pdftotext(pdf))).toBe(norm(quire.text));
    const ink = wordsOnInk(pdf);
    expect(ink.onInk).toBe(ink.words);
  });

  it('shows a PDF page whose scan is drawn tilted straightened, with level text that extracts in lines', async () => {
    const jpeg = await sharp(readFileSync(fx('tesstest-phototest.tif'))).toColourspace('b-w').jpeg({ quality: 90 }).toBuffer();
    // The scan (200 dpi) drawn turned 12 degrees on a letter page: the page shows it tilted.
    const r = (12 * Math.PI) / 180;
    const [w, h] = [230.4, 172.8];
    const cm = [w * Math.cos(r), w * Math.sin(r), -h * Math.sin(r), h * Math.cos(r), 150, 300].map((v) => num(v)).join(' ');
    const pdf = saved(await createSearchablePdf(onePagePdf(612, 792, jpeg, `q ${cm} cm /Im0 Do Q`), OPTS));
    expect(cer(pdftotext(pdf), readFileSync(fx('tesstest-phototest.gt.txt'), 'utf8')).cer).toBeLessThan(0.03);
    const ink = wordsOnInk(pdf);
    expect(ink.onInk).toBe(ink.words);
  });

  it('lays out a PDF it cannot copy object by object from rendered pages (text layer still over the words)', async () => {
    const jpeg = await sharp(readFileSync(fx('tesstest-phototest.tif'))).toColourspace('b-w').jpeg({ quality: 90 }).toBuffer();
    // No /Type in the catalog: pdf.js finds the root through the trailer, Quire's object reader does not.
    const pdf = saved(await createSearchablePdf(onePagePdf(230.4, 172.8, jpeg, 'q 230.4 0 0 172.8 0 0 cm /Im0 Do Q', ''), OPTS));
    expect(pdfimages(pdf)[0]?.slice(3, 5)).toEqual(['640', '480']);
    expect(cer(pdftotext(pdf), readFileSync(fx('tesstest-phototest.gt.txt'), 'utf8')).cer).toBeLessThan(0.03);
    const ink = wordsOnInk(pdf);
    expect(ink.onInk).toBe(ink.words);
  });
});

/** A one-page PDF drawing a 640x480 grey JPEG as /Im0 with `content`. */
function onePagePdf(wPt: number, hPt: number, jpeg: Buffer, content: string, catalogType = '/Type /Catalog '): Buffer {
  const w = new PdfWriter();
  const pages = w.alloc();
  const img = w.add('<< /Type /XObject /Subtype /Image /Width 640 /Height 480 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode >>', jpeg);
  const c = w.add('<< >>', Buffer.from(content, 'latin1'));
  const page = w.add(`<< /Type /Page /Parent ${pages} 0 R /MediaBox [0 0 ${num(wPt)} ${num(hPt)}] /Resources << /XObject << /Im0 ${img} 0 R >> >> /Contents ${c} 0 R >>`);
  w.write(pages, `<< /Type /Pages /Kids [${page} 0 R] /Count 1 >>`);
  return w.finish(w.add(`<< ${catalogType}/Pages ${pages} 0 R >>`));
}
