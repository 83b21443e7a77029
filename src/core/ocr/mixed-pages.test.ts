/**
 * Mixed PDF pages: a real text layer and a scanned image on one page. The text layer is kept, the
 * image's print is read too, and text the layer already has (a caption drawn over the image) is
 * not read twice. A photo without print adds nothing.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../../../test/helpers';
import { cer } from '../../../test/ocr-helpers';
import { readEnvironment } from '../config/environment';
const defaultTessdataDir = () => readEnvironment().tessdataDir;
import { PdfWriter, num } from './pdf-writer';
import { createSearchablePdf } from './searchable-pdf/index';
import { createTesseractEngine } from './tesseract';
import type { OcrEngine } from './types';
const inputOf = (path: string) => ({ path, kind: '', bytes: readFileSync(path) });

const fx = (name: string) => join(REPO_ROOT, 'test', 'fixtures', 'ocr', name);
const PHOTOTEST = readFileSync(fx('tesstest-phototest.gt.txt'), 'utf8');
const OPTS = { languages: 'eng', langPath: defaultTessdataDir(), keepExistingText: false };

/** A letter: two typed lines (Helvetica), phototest pasted in as a 200-dpi scan, a caption over it. */
async function letter(): Promise<Buffer> {
  const { data, info } = await sharp(readFileSync(fx('tesstest-phototest.tif'))).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const w = new PdfWriter();
  const pages = w.alloc();
  const font = w.add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const img = w.add(`<< /Type /XObject /Subtype /Image /Width ${info.width} /Height ${info.height} /ColorSpace /DeviceGray /BitsPerComponent 8 >>`, Buffer.from(data));
  const content = [
    'BT /F1 14 Tf 72 720 Td (Dear reader, the scan you asked for is below.) Tj ET',
    'BT /F1 14 Tf 72 700 Td (Kind regards from the archive.) Tj ET',
    `q ${num(460.8)} 0 0 ${num(345.6)} 72 300 cm /Im0 Do Q`,
    // A caption printed over the bottom of the scan, in its white margin.
    'BT /F1 12 Tf 90 310 Td (Figure one: a specimen page) Tj ET',
  ].join('\n');
  const c = w.add('<< >>', Buffer.from(content, 'latin1'));
  const page = w.add(`<< /Type /Page /Parent ${pages} 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${font} 0 R >> /XObject << /Im0 ${img} 0 R >> >> /Contents ${c} 0 R >>`);
  w.write(pages, `<< /Type /Pages /Kids [${page} 0 R] /Count 1 >>`);
  return w.finish(w.add(`<< /Type /Catalog /Pages ${pages} 0 R >>`));
}

let engine: OcrEngine;
beforeAll(async () => {
  engine = await createTesseractEngine(OPTS);
});
afterAll(async () => {
  await engine.close();
});

describe('mixed PDF pages', () => {
  it('keeps the text layer and reads the scanned image, without reading the caption twice', async () => {
    const path = join(tempDir(), 'letter.pdf');
    writeFileSync(path, await letter());
    const r = await engine.recognize(inputOf(path));
    const text = r.pages[0]!.text;
    expect(text.startsWith('Dear reader, the scan you asked for is below.\nKind regards from the archive.')).toBe(true);
    expect(text.match(/specimen/g)?.length).toBe(1);
    const ocrPart = text.slice(text.indexOf('This is a lot'));
    expect(cer(ocrPart, PHOTOTEST).cer).toBeLessThan(0.03);
  });

  it('adds nothing for a photo without print (py-pdf sample: text and a photograph)', async () => {
    // The corpus sample itself is not a fixture; the same shape: text plus a photo-like image.
    const photo = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#6a8' } })
      .composite([{ input: Buffer.from('<svg width="300" height="200"><circle cx="150" cy="100" r="70" fill="#234"/><rect x="20" y="20" width="60" height="160" fill="#c96"/></svg>') }])
      .raw()
      .toBuffer();
    const w = new PdfWriter();
    const pages = w.alloc();
    const font = w.add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
    const img = w.add('<< /Type /XObject /Subtype /Image /Width 300 /Height 200 /ColorSpace /DeviceRGB /BitsPerComponent 8 >>', photo);
    const c = w.add('<< >>', Buffer.from('BT /F1 12 Tf 72 720 Td (A page with a picture.) Tj ET\nq 300 0 0 200 72 400 cm /Im0 Do Q'));
    const page = w.add(`<< /Type /Page /Parent ${pages} 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${font} 0 R >> /XObject << /Im0 ${img} 0 R >> >> /Contents ${c} 0 R >>`);
    w.write(pages, `<< /Type /Pages /Kids [${page} 0 R] /Count 1 >>`);
    const path = join(tempDir(), 'photo.pdf');
    writeFileSync(path, w.finish(w.add(`<< /Type /Catalog /Pages ${pages} 0 R >>`)));
    const r = await engine.recognize(inputOf(path));
    expect(r.text).toBe('A page with a picture.');
  });

  it('gives a searchable PDF whose text is the layer plus the image words, each once', async () => {
    const source = await letter();
    const out = join(tempDir(), 'out.pdf');
    writeFileSync(out, await createSearchablePdf(source, OPTS));
    const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
    expect(text).toContain('Dear reader, the scan you asked for is below.');
    expect(text.match(/specimen/g)?.length).toBe(1);
    expect(text.replace(/\s+/g, ' ').match(/quick brown dog/g)?.length).toBe(4);
  });
});
