import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/helpers';
import { silentLogger } from '../logger';
import { readEnvironment } from '../config/environment';
import { openPdf } from './pdf';
import { createSearchablePdf } from './tesseract';

const FIX = join(REPO_ROOT, 'test', 'fixtures', 'ocr');

describe('searchable PDF export', () => {
  it('gives one page per input page, each an image with the recognised text under it', async () => {
    const progress: number[] = [];
    const pdf = await createSearchablePdf(
      readFileSync(join(FIX, 'charlesw-multi-page.tif')),
      { languages: 'eng', langPath: readEnvironment().tessdataDir, keepExistingText: false, onProgress: (p) => progress.push(p) },
    );
    expect(progress).toEqual([1, 2, 3]);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Read it back with pdfjs: three pages, each with its text layer (tesseract's invisible text).
    const doc = await openPdf(pdf, { keepExistingText: true, logger: silentLogger });
    try {
      expect(doc.pageCount).toBe(3);
      for (let n = 1; n <= 3; n++) {
        const page = await doc.page(n);
        expect(page).toEqual({ kind: 'text', text: `Page ${n}` });
      }
    } finally {
      await doc.close();
    }
    // Without keep_existing_text the same pages count as scans: the text is invisible OCR text.
    const asScan = await openPdf(pdf, { keepExistingText: false, logger: silentLogger });
    try {
      expect((await asScan.page(1)).kind).toBe('image');
    } finally {
      await asScan.close();
    }
  });
});
