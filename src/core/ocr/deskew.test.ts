/**
 * Deskew on real scans: the corpus's 22-degree eurotext (transparent background too) must read,
 * phototest turned by +-25 degrees must read, and straight pages must be left untouched.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../../../test/helpers';
import { cer } from '../../../test/ocr-helpers';
import { deskewPage, estimateSkew, rotatePageBy } from './deskew';
import { renderPage } from './image';
import { readEnvironment } from '../config/environment';
const defaultTessdataDir = () => readEnvironment().tessdataDir;
import { createTesseractEngine } from './tesseract';
import type { OcrEngine } from './types';
const inputOf = (path: string) => ({ path, kind: '', bytes: readFileSync(path) });

const fx = (name: string) => join(REPO_ROOT, 'test', 'fixtures', 'ocr', name);
const page = (name: string) => renderPage({ kind: 'sharp', make: () => sharp(readFileSync(fx(name))) });

describe('skew estimate', () => {
  it('finds the tilt of turned pages within half a degree, either way, up to 30 degrees', async () => {
    const straight = await page('tesstest-phototest.tif');
    for (const turn of [-30, -12, -3, 4, 25]) {
      const e = await estimateSkew(await rotatePageBy(straight, turn));
      expect(Math.abs((e?.angle ?? 99) + turn)).toBeLessThanOrEqual(0.5);
    }
  });

  it('leaves straight pages and blank pages as they are (the same object, no rotation)', async () => {
    for (const name of ['tesstest-phototest.tif', 'charlesw-empty.png', 'tessjs-simple-png.png', 'charlesw-multi-page.tif']) {
      const p = await page(name);
      const d = await deskewPage(p);
      expect(d.angle).toBe(0);
      expect(d.page).toBe(p);
    }
  });
});

let engine: OcrEngine;
beforeAll(async () => {
  engine = await createTesseractEngine({ languages: 'eng', langPath: defaultTessdataDir(), keepExistingText: false });
});
afterAll(async () => {
  await engine.close();
});

describe('deskew before recognition', () => {
  it('reads the 22-degree eurotext scan (empty before deskew)', async () => {
    const r = await engine.recognize(inputOf(fx('tess4j-eurotext_deskew.png')));
    expect(cer(r.text, readFileSync(fx('tess4j-eurotext_deskew.gt.txt'), 'utf8')).cer).toBeLessThan(0.05);
  });

  it('reads charlesw/tesseract\'s scewed-phototest.png', async () => {
    const r = await engine.recognize(inputOf(fx('charlesw-scewed-phototest.png')));
    expect(cer(r.text, readFileSync(fx('charlesw-scewed-phototest.gt.txt'), 'utf8')).cer).toBeLessThan(0.03);
  });

  it('reads phototest turned by 25 degrees counter-clockwise', async () => {
    const path = join(tempDir(), 'skewed.png');
    writeFileSync(path, await sharp(readFileSync(fx('tesstest-phototest.tif'))).rotate(-25, { background: '#ffffff' }).png().toBuffer());
    const r = await engine.recognize(inputOf(path));
    expect(cer(r.text, readFileSync(fx('tesstest-phototest.gt.txt'), 'utf8')).cer).toBeLessThan(0.03);
  });
});
