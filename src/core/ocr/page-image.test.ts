import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/helpers';
import { renderPageImage } from './page-image';

const FIX = join(REPO_ROOT, 'test/fixtures/ocr');
const bytes = (file: string) => readFileSync(join(FIX, file));

describe('renderPageImage (the viewer beside each page text)', () => {
  it('shows PDF pages, multi-page TIFF pages and PNM images as pictures', async () => {
    for (const [file, page] of [
      ['pypdf-pdflatex-4-pages.pdf', 3],
      ['charlesw-multi-page.tif', 2],
      ['tessjs-simple-pbm.pbm', 1],
      ['tessjs-simple-bmp.bmp', 1],
    ] as const) {
      const img = await renderPageImage(bytes(file), page);
      expect(img, file).not.toBeNull();
      const meta = await sharp(Buffer.from(img!.bytes)).metadata();
      expect(meta.format).toBe('webp');
      expect(meta.width).toBe(img!.width);
      expect(img!.width).toBeGreaterThan(50);
    }
  });

  it('answers null for a page that does not exist, and fails with a kind on a broken file', async () => {
    expect(await renderPageImage(bytes('pypdf-pdflatex-4-pages.pdf'), 9)).toBeNull();
    await expect(renderPageImage(bytes('bad-truncated.png'), 1)).rejects.toThrow();
  });
});
