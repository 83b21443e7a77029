/** Resolution choice before OCR, on real pages (test/fixtures/ocr, see SOURCES.md there). */
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/helpers';
import { imagePages, MAX_OCR_PIXELS, ocrScale, renderPage } from './image';
import { DEFAULT_TUNING } from './tuning';

const PHOTOTEST = join(REPO_ROOT, 'test', 'fixtures', 'ocr', 'tesstest-phototest.tif');
const res = { downscaleAboveDpi: DEFAULT_TUNING.downscaleAboveDpi, targetDpi: DEFAULT_TUNING.targetDpi };

describe('ocrScale', () => {
  it('keeps pages at or below the threshold as they are', () => {
    expect(ocrScale(300, 2550, 3300, res)).toBe(1);
    expect(ocrScale(150, 1275, 1650, res)).toBe(1);
    expect(ocrScale(res.downscaleAboveDpi, 2000, 2000, res)).toBe(1);
  });

  it('brings pages above the threshold to the target resolution', () => {
    expect(ocrScale(600, 5100, 6600, res)).toBeCloseTo(res.targetDpi / 600, 6);
    expect(ocrScale(1200, 10200, 13200, res)).toBeCloseTo(res.targetDpi / 1200, 6);
  });

  it('caps the pixels handed to tesseract whatever the resolution', () => {
    const s = ocrScale(300, 9000, 9000, res);
    expect(9000 * 9000 * s * s).toBeCloseTo(MAX_OCR_PIXELS, -3);
    const t = ocrScale(2400, 20000, 4000, res);
    expect(20000 * 4000 * t * t).toBeLessThanOrEqual(MAX_OCR_PIXELS * 1.0001);
  });

  it('follows the tuning given', () => {
    expect(ocrScale(300, 2550, 3300, { downscaleAboveDpi: 250, targetDpi: 250 })).toBeCloseTo(250 / 300, 6);
  });
});

describe('renderPage resolution', () => {
  it('renders a 600 dpi scan of a real page at the target resolution, and a 200 dpi one as it is', async () => {
    const meta = await sharp(PHOTOTEST).metadata();
    const big = await sharp(PHOTOTEST).resize({ width: meta.width! * 3 }).withMetadata({ density: 600 }).png().toBuffer();
    const [src] = await imagePages(big, 'png');
    if (src?.kind !== 'sharp') throw new Error('expected a sharp page');
    const page = await renderPage(src, res);
    expect(page.dpi).toBe(res.targetDpi);
    expect(page.width).toBe(Math.round((meta.width! * 3 * res.targetDpi) / 600));

    const [orig] = await imagePages(await sharp(PHOTOTEST).withMetadata({ density: 200 }).png().toBuffer(), 'png');
    if (orig?.kind !== 'sharp') throw new Error('expected a sharp page');
    const same = await renderPage(orig, res);
    expect([same.width, same.height, same.dpi]).toEqual([meta.width, meta.height, 200]);
  });
});
