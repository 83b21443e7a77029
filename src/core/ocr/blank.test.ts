/** The blank-page check on real pages (test/fixtures/ocr, see SOURCES.md there). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/helpers';
import { silentLogger } from '../logger';
import { countInk, isBlankPage, paperLevel } from './blank';
import type { PageImage } from './image';
import { renderPage } from './image';
import { forEachPage } from './pages';

const fx = (name: string) => join(REPO_ROOT, 'test', 'fixtures', 'ocr', name);

/** The pages of a fixture as the engine renders them (the first two at most: rendering costs). */
async function pagesOf(name: string): Promise<PageImage[]> {
  const out: PageImage[] = [];
  await forEachPage(readFileSync(fx(name)), { keepExistingText: false, alwaysImage: true, logger: silentLogger, maxPages: 2 }, async (p) => {
    if (p.kind === 'image' && p.source.kind === 'sharp') out.push(await renderPage(p.source));
  });
  return out;
}

async function pgm(data: Buffer, width: number, height: number, dpi = 300): Promise<PageImage> {
  return { pgm: Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1'), data]), width, height, dpi };
}

/** An A4 page at 300 dpi, white, with a fixture's page pasted at (left, top). */
async function onA4(page: PageImage, left: number, top: number): Promise<PageImage> {
  const w = 2480;
  const h = 3508;
  const body = page.pgm.subarray(page.pgm.length - page.width * page.height);
  const { data } = await sharp({ create: { width: w, height: h, channels: 3, background: '#ffffff' } })
    .composite([{ input: body, raw: { width: page.width, height: page.height, channels: 1 }, left, top }])
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return pgm(data, w, h);
}

describe('blank page check', () => {
  it('calls the empty image blank', async () => {
    const [page] = await pagesOf('charlesw-empty.png');
    expect(isBlankPage(page!)).toBe(true);
    expect(countInk(page!)).toBe(0);
  });

  it.each(['tessjs-simple-png.png', 'tesstest-phototest.tif', 'charlesw-multi-page.tif', 'ocrmypdf-aspect.pdf', 'pypdf-pdflatex-4-pages.pdf', 'tessjs-simple-180-exif.jpg'])(
    'finds ink on the pages of %s',
    async (name) => {
      const pages = await pagesOf(name);
      expect(pages.length).toBeGreaterThan(0);
      for (const p of pages) expect(isBlankPage(p)).toBe(false);
    },
  );

  it('finds one small word alone on an A4 page, and the same page without it is blank', async () => {
    // The "T" of "Tesseract.js" (13 px of 23 px type in the fixture), alone in a corner of a white A4 page.
    const [word] = await pagesOf('tessjs-simple-png.png');
    const w = word!;
    const crop = await sharp(w.pgm.subarray(w.pgm.length - w.width * w.height), { raw: { width: w.width, height: w.height, channels: 1 } })
      .extract({ left: 83, top: 76, width: 13, height: 23 })
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const letter = await pgm(crop.data, crop.info.width, crop.info.height);
    expect(countInk(letter)).toBeGreaterThan(24);
    expect(isBlankPage(await onA4(letter, 2000, 3000))).toBe(false);
    const white = await pgm(Buffer.alloc(crop.data.length, 255), crop.info.width, crop.info.height);
    expect(isBlankPage(await onA4(white, 2000, 3000))).toBe(true);
  });

  it('ignores lone noise pixels but not a line of them', async () => {
    const [empty] = await pagesOf('charlesw-empty.png');
    const e = empty!;
    const body = Buffer.from(e.pgm.subarray(e.pgm.length - e.width * e.height));
    // 40 isolated dark pixels, none touching another: scanner noise.
    for (let i = 0; i < 40; i++) body[(10 + 4 * (i % 10)) * e.width + 10 + 7 * Math.floor(i / 10)] = 0;
    const speckled = await pgm(body, e.width, e.height, e.dpi);
    expect(paperLevel(speckled)).toBe(255);
    expect(isBlankPage(speckled)).toBe(true);
    // A short dark stroke (a hyphen) is ink.
    for (let x = 100; x < 130; x++) body[100 * e.width + x] = body[101 * e.width + x] = 40;
    expect(isBlankPage(await pgm(body, e.width, e.height, e.dpi))).toBe(false);
  });

  it('reads light marks on a dark page (inverted scan) as ink', async () => {
    const [page] = await pagesOf('tessjs-simple-png.png');
    const p = page!;
    const body = Buffer.from(p.pgm.subarray(p.pgm.length - p.width * p.height)).map((v) => 255 - v);
    const inverted = await pgm(Buffer.from(body), p.width, p.height, p.dpi);
    expect(paperLevel(inverted)).toBeLessThan(64);
    expect(isBlankPage(inverted)).toBe(false);
    expect(isBlankPage(await pgm(Buffer.alloc(p.width * p.height, 0), p.width, p.height, p.dpi))).toBe(true);
  });
});
