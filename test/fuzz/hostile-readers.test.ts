/**
 * Hand-built hostile files for the readers of user bytes (issue 17, items 1 and 3), each run in
 * the fuzz child so that a reader stuck in synchronous code fails the test by its timeout instead
 * of stopping the test runner. Every case here hung, crashed or inflated without bound before.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FuzzChild } from './fuzz';
import { contentBombPdf, digitsContentPdf, fontBombPdf, imageBombPdf, loopingPdf, manyOpenStringsPdf, objectStreamBombPdf, buildPdf, streamObject } from './pdf-mutate';
import type { Target } from './targets';

const child = new FuzzChild();
afterEach(() => {
  if (child.current) child.kill(); // a hang: the next test starts a new child
});
afterAll(() => child.kill());

const read = (target: Target, bytes: Buffer, name: string) => child.run(target, { seed: name, how: 'built', bytes });

function bmp(o: { bpp: number; compression?: number; colours?: number; extra?: number }): Buffer {
  const b = Buffer.alloc(54 + (o.extra ?? 0));
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(1, 18);
  b.writeInt32LE(1, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(o.bpp, 28);
  b.writeUInt32LE(o.compression ?? 0, 30);
  b.writeUInt32LE(o.colours ?? 0, 46);
  return b;
}

describe('hostile PDFs for the object reader', () => {
  it('the issue\'s 328-byte loop (a "<" with no ">" made the reader restart from 0) is read, and the page decodes', async () => {
    const pdf = loopingPdf();
    expect(pdf.length).toBe(328);
    expect(await read('objects', pdf, 'loop')).toEqual({ ok: true, detail: '4 objects, 1 pages, 0 native images' });
    expect(await read('pdf', pdf, 'loop')).toEqual({ ok: true, detail: '1 pages' });
  }, 30_000);

  it('20,000 objects that each open a string running to the end of the file fail corrupt_file (each read to the end: quadratic)', async () => {
    expect(await read('objects', manyOpenStringsPdf(20_000), 'open strings')).toEqual({ ok: false, kind: 'corrupt_file' });
  }, 30_000);

  it('a page content stream of 1,000,000 digits is read in one pass (a regular expression backtracked on it for ~30 min)', async () => {
    expect(await read('objects', digitsContentPdf(1_000_000), 'digits')).toEqual({ ok: true, detail: '5 objects, 1 pages, 0 native images' });
  }, 30_000);

  it('a page content stream that inflates to 200 MiB fails too_large, in the reader and through the whole PDF path', async () => {
    const pdf = contentBombPdf(200);
    expect(pdf.length).toBeLessThan(300_000);
    expect(await read('objects', pdf, 'content bomb')).toEqual({ ok: false, kind: 'too_large' });
    expect(await read('pdf', pdf, 'content bomb')).toEqual({ ok: false, kind: 'too_large' });
  }, 60_000);

  it('an object stream that inflates to 200 MiB fails too_large', async () => {
    expect(await read('objects', objectStreamBombPdf(200), 'object stream bomb')).toEqual({ ok: false, kind: 'too_large' });
  }, 60_000);

  it('a font program that inflates to 200 MiB fails too_large before pdfjs inflates it (a 100 MiB one took pdfjs 9 s and 600 MB)', async () => {
    const pdf = fontBombPdf(200);
    expect(await read('objects', pdf, 'font bomb')).toEqual({ ok: false, kind: 'too_large' });
    expect(await read('pdf', pdf, 'font bomb')).toEqual({ ok: false, kind: 'too_large' });
  }, 60_000);

  it('an A4 image stream that inflates to 200 MiB (it needs 8.7 MB) is not taken natively: left to pdfjs, which reads only what the image needs', async () => {
    expect(await read('objects', imageBombPdf(200), 'image bomb')).toEqual({ ok: true, detail: '5 objects, 1 pages, 0 native images' });
  }, 60_000);

  it('a stream whose /Length refers to its own object, and a /Length chain, are read', async () => {
    const catalog = '<</Type/Catalog/Pages 2 0 R>>';
    const pages = '<</Type/Pages/Kids[3 0 R]/Count 1>>';
    const page = '<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>';
    const self = Buffer.from('<</Length 4 0 R>>\nstream\nBT (Hi) Tj ET\nendstream', 'latin1');
    expect(await read('objects', buildPdf([catalog, pages, page, self]), 'self length')).toEqual({ ok: true, detail: '4 objects, 1 pages, 0 native images' });
    const chain = Array.from({ length: 5000 }, (_, i) => streamObject(`/Length ${i + 6} 0 R`, Buffer.from('q Q')));
    expect(await read('objects', buildPdf([catalog, pages, page, streamObject('', Buffer.from('q Q')), ...chain]), 'length chain')).toMatchObject({ ok: true });
  }, 30_000);
});

describe('hostile BMP headers', () => {
  it('a palette of 4,294,967,295 colours (a 32-bit count) fails corrupt_file at once instead of looping for minutes', async () => {
    expect(await read('bmp', bmp({ bpp: 8, colours: 0xffffffff }), 'colours')).toEqual({ ok: false, kind: 'corrupt_file' });
  }, 30_000);

  it('a BITFIELDS header cut before its masks fails corrupt_file (it threw a RangeError, an engine_error retried 3 times)', async () => {
    expect(await read('bmp', bmp({ bpp: 32, compression: 3, extra: 6 }), 'bitfields')).toEqual({ ok: false, kind: 'corrupt_file' });
  }, 30_000);
});
