/**
 * No readable page refused for its size: a 116-inch page of 1.2 gigapixels (CCITT), a 2400-dpi fax
 * scan and a 60 x 40 inch poster are read, in tiles, at the resolution their print needs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../../../test/helpers';
import { cer } from '../../../test/ocr-helpers';
import { silentLogger } from '../logger';
import { readEnvironment } from '../config/environment';
const defaultTessdataDir = () => readEnvironment().tessdataDir;
import { openPdf } from './pdf';
import { PdfWriter, num } from './pdf-writer';
import { createTesseractEngine } from './tesseract';
import { planTiles } from './tiles';
import type { OcrEngine } from './types';
const inputOf = (path: string) => ({ path, kind: '', bytes: readFileSync(path) });

const fx = (name: string) => join(REPO_ROOT, 'test', 'fixtures', 'ocr', name);
const PHOTOTEST = readFileSync(fx('tesstest-phototest.gt.txt'), 'utf8');

/** A one-page PDF of wPt x hPt drawing each image at its place (x, y, w, h in points). */
function pdfOf(wPt: number, hPt: number, images: { dict: string; data: Buffer; at: [number, number, number, number] }[]): Buffer {
  const w = new PdfWriter();
  const pages = w.alloc();
  const refs = images.map((im) => w.add(`<< /Type /XObject /Subtype /Image ${im.dict} >>`, im.data));
  const content = images.map((im, i) => `q ${num(im.at[2])} 0 0 ${num(im.at[3])} ${num(im.at[0])} ${num(im.at[1])} cm /Im${i} Do Q`).join('\n');
  const c = w.add('<< >>', Buffer.from(content));
  const xo = refs.map((r, i) => `/Im${i} ${r} 0 R`).join(' ');
  const page = w.add(`<< /Type /Page /Parent ${pages} 0 R /MediaBox [0 0 ${num(wPt)} ${num(hPt)}] /Resources << /XObject << ${xo} >> >> /Contents ${c} 0 R >>`);
  w.write(pages, `<< /Type /Pages /Kids [${page} 0 R] /Count 1 >>`);
  return w.finish(w.add(`<< /Type /Catalog /Pages ${pages} 0 R >>`));
}

/** phototest scaled up `k` times as one Group 4 strip, the way a fax-mode scanner codes it. */
async function phototestG4(k: number) {
  const tif = await sharp(readFileSync(fx('tesstest-phototest.tif')))
    .resize({ width: 640 * k, kernel: 'nearest' })
    .toColourspace('b-w')
    .tiff({ compression: 'ccittfax4', bitdepth: 1, tileHeight: 480 * k })
    .toBuffer();
  // The strip's offset and length from the first IFD (tags 273, 279).
  const ifd = tif.readUInt32LE(4);
  const tag = (t: number) => {
    for (let i = 0; i < tif.readUInt16LE(ifd); i++) if (tif.readUInt16LE(ifd + 2 + i * 12) === t) return tif.readUInt32LE(ifd + 2 + i * 12 + 8);
    throw new Error(`no tag ${t}`);
  };
  return { data: tif.subarray(tag(273), tag(273) + tag(279)), width: 640 * k, height: 480 * k };
}

let engine: OcrEngine;
beforeAll(async () => {
  engine = await createTesseractEngine({ languages: 'eng', langPath: defaultTessdataDir(), keepExistingText: false });
});
afterAll(async () => {
  await engine.close();
});
const write = (bytes: Buffer) => {
  const p = join(tempDir(), 'big.pdf');
  writeFileSync(p, bytes);
  return p;
};

describe('tile planning', () => {
  it('skips blank tiles and cuts through white space, not through letters', () => {
    // A 10000 x 5000 page, overview 1000 x 500, one line of "letters" (1-pixel gaps) across
    // x 3000-4600 with one word gap (3 pixels) at 3950-3970.
    const o = { data: new Uint8Array(1000 * 500).fill(255), width: 1000, height: 500 };
    for (let x = 300; x < 460; x++) if (x % 6 !== 0 && (x < 395 || x > 397)) for (let y = 100; y < 110; y++) o.data[y * 1000 + x] = 0;
    const tiles = planTiles(o, 10000, 5000, 4096);
    // Only the two tiles holding the line are read (of 3 x 2); the cut lies in the word gap.
    expect(tiles.length).toBe(2);
    const cut = tiles[1]!.left;
    expect(cut).toBeGreaterThanOrEqual(3950);
    expect(cut).toBeLessThanOrEqual(3980);
    expect(tiles.every((t) => t.top === 0)).toBe(true);
  });
});

describe('pages too big to read in one piece', () => {
  it('reads the one line of a 116-inch, 1.2-gigapixel CCITT page (too_large before)', async () => {
    const r = await engine.recognize(inputOf(fx('ocrmypdf-hugemono.pdf')));
    expect(cer(r.text, readFileSync(fx('ocrmypdf-hugemono.gt.txt'), 'utf8')).cer).toBeLessThan(0.05);
  });

  it('reads a 2400-dpi fax-coded scan', async () => {
    const g4 = await phototestG4(12); // 7680 x 5760 at 2400 dpi: 3.2 x 2.4 inches
    const pdf = pdfOf(230.4, 172.8, [
      { dict: `/Width ${g4.width} /Height ${g4.height} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns ${g4.width} /Rows ${g4.height} /BlackIs1 true >>`, data: g4.data, at: [0, 0, 230.4, 172.8] },
    ]);
    const doc = await openPdf(pdf, { keepExistingText: false, logger: silentLogger });
    try {
      const page = await doc.page(1);
      expect(page).toMatchObject({ kind: 'tiles', via: 'native', tiled: { dpi: 300, width: 960, height: 720 } });
    } finally {
      await doc.close();
    }
    const r = await engine.recognize(inputOf(write(pdf)));
    expect(cer(r.text, PHOTOTEST).cer).toBeLessThan(0.03);
  });

  it('reads a 60 x 40 inch poster with text in three places, tile by tile', async () => {
    const { data, info } = await sharp(readFileSync(fx('tesstest-phototest.tif'))).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    const img = { dict: `/Width ${info.width} /Height ${info.height} /ColorSpace /DeviceGray /BitsPerComponent 8`, data: Buffer.from(data) };
    // phototest at 200 dpi (3.2 x 2.4 in) near three corners of the poster.
    const at = (x: number, y: number): [number, number, number, number] => [x * 72, y * 72, 230.4, 172.8];
    const pdf = pdfOf(60 * 72, 40 * 72, [
      { ...img, at: at(2, 35) },
      { ...img, at: at(50, 30) },
      { ...img, at: at(25, 3) },
    ]);
    const doc = await openPdf(pdf, { keepExistingText: false, logger: silentLogger });
    try {
      const page = await doc.page(1);
      expect(page.kind).toBe('tiles');
      if (page.kind === 'tiles') expect(page.tiled.tiles.length).toBeLessThanOrEqual(6); // of a 5 x 3 grid
    } finally {
      await doc.close();
    }
    const r = await engine.recognize(inputOf(write(pdf)));
    expect(cer(r.text, [PHOTOTEST, PHOTOTEST, PHOTOTEST].join('\n')).cer).toBeLessThan(0.03);
  });
});
