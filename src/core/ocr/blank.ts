/**
 * A cheap check, before OCR, for pages with nothing on them. On the corpus a blank page cost
 * ~0.15-0.45 s of tesseract and then ~1.3 s of orientation detection (its confidence is 0, below
 * the OSD threshold, and the OSD worker had to be started for it); the check costs a few
 * milliseconds. It must never call a page with text blank (that loses text), so it only says
 * blank when there is almost no ink at all: scanner noise and dust can make a blank page look
 * inked (it is then OCR'd as before), never the other way round.
 */
import type { PageImage } from './image';

/** Ink is at least this many grey levels away from the paper. */
const INK_CONTRAST = 32;
/**
 * A page is blank when fewer pixels than this are ink, at 300 dpi (scaled by area for other
 * resolutions). A full stop in 10-point type at 300 dpi is ~20 ink pixels, one letter ~100-200.
 */
const MAX_INK_AT_300_DPI = 24;

/** The grey pixels of a PGM page (after its header). */
function pixels(page: PageImage): Buffer {
  return page.pgm.subarray(page.pgm.length - page.width * page.height);
}

/** The paper's grey level: the median of a sample of pixels (paper covers most of any page). */
export function paperLevel(page: PageImage): number {
  const px = pixels(page);
  const hist = new Uint32Array(256);
  // Every 7th pixel: enough for a median, and a stride that does not follow the rows.
  let n = 0;
  for (let i = 0; i < px.length; i += 7, n++) hist[px[i] as number]! += 1;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v] as number;
    if (seen * 2 >= n) return v;
  }
  return 255;
}

/**
 * Counts ink pixels that touch another ink pixel to their right or below (a lone pixel is noise),
 * stopping once `stopAt` is reached: a page of text stops within its first line.
 */
export function countInk(page: PageImage, stopAt = Infinity): number {
  const px = pixels(page);
  const { width, height } = page;
  const paper = paperLevel(page);
  const lo = paper - INK_CONTRAST;
  const hi = paper + INK_CONTRAST; // light marks on a dark page (inverted scans)
  const isInk = (v: number) => v < lo || v > hi;
  let ink = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (!isInk(px[row + x] as number)) continue;
      const right = x + 1 < width && isInk(px[row + x + 1] as number);
      const below = y + 1 < height && isInk(px[row + width + x] as number);
      if ((right || below) && ++ink >= stopAt) return ink;
    }
  }
  return ink;
}

/** True when the page has (almost) no ink: OCR would find nothing on it. */
export function isBlankPage(page: PageImage): boolean {
  const limit = Math.max(4, Math.round(MAX_INK_AT_300_DPI * (page.dpi / 300) ** 2));
  return countInk(page, limit) < limit;
}
