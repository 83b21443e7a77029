/**
 * Fuzz targets: each reader of user bytes in src/core/ocr, run on one input. Runs inside the fuzz
 * child (child.ts), never in the test process: a reader stuck in synchronous code must not stop
 * the test runner's own timer, so a hang shows as the test's timeout.
 */
import { silentLogger } from '../../src/core/logger';
import { decodeBmp } from '../../src/core/ocr/bmp';
import { MAX_INPUT_PIXELS, renderPage } from '../../src/core/ocr/image';
import { forEachPage } from '../../src/core/ocr/pages';
import { summariseContent } from '../../src/core/ocr/pdf-content';
import { PdfObjects } from '../../src/core/ocr/pdf-objects';
import { pageAnatomy } from '../../src/core/ocr/pdf-page';
import { decodePnm } from '../../src/core/ocr/pnm';
import { sniffFormat } from '../../src/core/ocr/sniff';
import { OcrError } from '../../src/core/ocr/types';

export const TARGETS = ['objects', 'content', 'bmp', 'pnm', 'image', 'pdf'] as const;
export type Target = (typeof TARGETS)[number];

export type Outcome = { ok: true; detail?: string } | { ok: false; kind: string } | { ok: false; unclassified: string };

/** Everything the engine does before OCR (its own page walk): sniff, decode, render at most `maxPages` pages to PGM. */
export async function decodeOnly(bytes: Buffer, maxPages = 3): Promise<number> {
  let pages = 0;
  await forEachPage(bytes, { keepExistingText: true, logger: silentLogger, maxPages }, async (page) => {
    if (page.kind === 'image' && page.source.kind === 'sharp') await renderPage(page.source);
    // A page read in tiles: its first tile is decoded too.
    if (page.kind === 'tiles' && page.tiled.tiles[0]) await renderPage(await page.tiled.tile(page.tiled.tiles[0]));
    pages++;
  });
  return pages;
}

/** The object reader alone: every object, and every page's anatomy (content, images, inflates). */
export function readObjects(bytes: Buffer): string {
  const objs = new PdfObjects(bytes);
  let pages = 0;
  let native = 0;
  for (const n of objs.numbers()) {
    const page = objs.dict({ ref: n });
    if (page?.dict.get('/Type') !== '/Page') continue;
    const box = objs.get(page.dict.get('/MediaBox'));
    const [x0, y0, x1, y1] = Array.isArray(box) && box.every((v) => typeof v === 'number') ? (box as number[]) : [0, 0, 612, 792];
    if (pageAnatomy(objs, n, Math.abs((x1 ?? 612) - (x0 ?? 0)) || 612, Math.abs((y1 ?? 792) - (y0 ?? 0)) || 792)?.image) native++;
    pages++;
  }
  return `${objs.numbers().length} objects, ${pages} pages, ${native} native images`;
}

async function run(target: Target, bytes: Buffer): Promise<string | undefined> {
  switch (target) {
    case 'objects':
      return readObjects(bytes);
    case 'content': {
      const s = summariseContent(bytes);
      return `${s.textOps} text ops, ${s.drawn.length} drawn`;
    }
    case 'bmp':
      return decodeBmp(bytes, MAX_INPUT_PIXELS) ? 'decoded' : 'left to tesseract';
    case 'pnm':
      decodePnm(bytes, MAX_INPUT_PIXELS);
      return 'decoded';
    case 'image':
    case 'pdf':
      sniffFormat(bytes);
      return `${await decodeOnly(bytes)} pages`;
  }
}

export async function runTarget(target: Target, bytes: Buffer): Promise<Outcome> {
  try {
    return { ok: true, detail: await run(target, bytes) };
  } catch (err) {
    if (err instanceof OcrError) return { ok: false, kind: err.kind };
    return { ok: false, unclassified: `${(err as Error).name}: ${(err as Error).message}` };
  }
}
