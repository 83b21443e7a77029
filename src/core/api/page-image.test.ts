import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/helpers';
import { renderPageImage } from './page-image';

const FIX = join(REPO_ROOT, 'test/fixtures/ocr');

describe('renderPageImage (the viewer beside each page text)', () => {
  it('shows PDF pages, multi-page TIFF pages and PNM images as pictures', async () => {
    for (const [file, kind, page] of [
      ['pypdf-pdflatex-4-pages.pdf', 'application/pdf', 3],
      ['charlesw-multi-page.tif', 'image/tiff', 2],
      ['tessjs-simple-pbm.pbm', 'image/x-portable-bitmap', 1],
      ['tessjs-simple-bmp.bmp', 'image/bmp', 1],
    ] as const) {
      const img = await renderPageImage({ path: join(FIX, file), kind }, page);
      expect(img, file).not.toBeNull();
      const meta = await sharp(Buffer.from(img!.base64, 'base64')).metadata();
      expect(meta.format).toBe('webp');
      expect(meta.width).toBe(img!.width);
      expect(img!.width).toBeGreaterThan(50);
    }
  });

  it('answers null for a page that does not exist, a missing file or a broken one', async () => {
    expect(await renderPageImage({ path: join(FIX, 'pypdf-pdflatex-4-pages.pdf'), kind: 'application/pdf' }, 9)).toBeNull();
    expect(await renderPageImage({ path: join(FIX, 'nope.png'), kind: 'image/png' }, 1)).toBeNull();
    expect(await renderPageImage({ path: join(FIX, 'bad-truncated.png'), kind: 'image/png' }, 1)).toBeNull();
  });
});
