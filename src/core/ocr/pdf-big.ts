/**
 * PDF pages too big to read in one piece, read in tiles (tiles.ts) at up to 300 dpi:
 * - a page that is one huge image coded as JPEG or CCITT fax: decoded natively by libvips with its
 *   pixel limit lifted (JPEG shrinks while decoding; CCITT goes through a TIFF wrapper, 1 bit per
 *   pixel), scaled to the OCR resolution, each tile cut from that;
 * - any other big page (a poster): pdfjs renders each tile through a shifted viewport.
 * Before, such pages failed as too_large, or as corrupt_file when a canvas could not be made
 * ("Create skia surface failed").
 */
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { ccittTiff } from './ccitt-tiff';
import { DEFAULT_DPI } from './image';
import type { PageAnatomy } from './pdf-page';
import type { Overview, Tile, TiledPage } from './tiles';
import { TILE_SIDE, medianBlobHeight, planTiles } from './tiles';
import { OcrError } from './types';

const nodeRequire = createRequire(import.meta.url);
/** The overview that plans the tiles: at most this many pixels on its long side. */
const OVERVIEW_SIDE = 2048;
/**
 * Largest image decoded natively for tiling. A 1-bit CCITT page is held packed while decoding
 * (2.5 gigapixels = ~310 MB), within the worker's memory limit (worker_max_rss_mb, 1200 MB).
 */
export const MAX_TILED_IMAGE_PIXELS = 2_500_000_000;
/** At most this many tiles across a page: a bigger page is read at a lower resolution. */
const MAX_GRID = 256;

type NativeImage = NonNullable<PageAnatomy['image']>;

/** Letters this tall (pixels at the reading resolution) are the aim for big print. */
const LETTER_PX = 48;

/** How much to scale the reading resolution down so big print comes out ~LETTER_PX tall (<= 1). */
function textScale(overview: Overview, overviewScale: number): number {
  const h = medianBlobHeight(overview);
  if (h === null) return 1;
  const atReading = h / overviewScale;
  return atReading > LETTER_PX * 2 ? LETTER_PX / atReading : 1;
}

/** Resolution to read a page of wPt x hPt at: 300 dpi, less when the tile grid would be too big. */
function readingDpi(wPt: number, hPt: number, imageDpi = Infinity): number {
  let dpi = Math.min(DEFAULT_DPI, imageDpi);
  const cells = ((wPt / 72) * dpi * (hPt / 72) * dpi) / (TILE_SIDE * TILE_SIDE);
  if (cells > MAX_GRID) dpi *= Math.sqrt(MAX_GRID / cells);
  return dpi;
}

async function greyRaw(p: sharp.Sharp): Promise<Overview> {
  const { data, info } = await p.toColourspace('b-w').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  const grey = info.channels === 1 ? data : data.filter((_, i) => i % info.channels === 0);
  return { data: grey, width: info.width, height: info.height };
}

export function fromGrey(g: Overview, dpi: number) {
  return { kind: 'sharp' as const, dpi, make: () => sharp(Buffer.from(g.data), { raw: { width: g.width, height: g.height, channels: 1 } }) };
}

/** A page that is one huge image (JPEG, CCITT, or 8-bit pixels already inflated) filling it (wPt x hPt points). */
export async function nativeTiledPage(img: NativeImage, wPt: number, hPt: number): Promise<TiledPage> {
  if (img.width * img.height > MAX_TILED_IMAGE_PIXELS) {
    throw new OcrError('too_large', `PDF page holds an image of ${Math.round((img.width * img.height) / 1e6)} MP, above the ${MAX_TILED_IMAGE_PIXELS / 1e9} gigapixel limit`);
  }
  const base =
    img.kind === 'raw'
      ? () => sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels }, limitInputPixels: false })
      : (() => {
          const input = img.kind === 'ccitt' ? ccittTiff(img.bytes, { k: img.k, width: img.width, height: img.height, encodedByteAlign: img.encodedByteAlign, inverted: img.inverted }) : img.bytes;
          return () => sharp(input, { limitInputPixels: false, failOn: 'error' });
        })();
  const imageDpi = Math.max(img.width, img.height) / (Math.max(wPt, hPt) / 72);
  let dpi = readingDpi(wPt, hPt, imageDpi);
  let width = Math.max(1, Math.round((img.width * dpi) / imageDpi));
  let height = Math.max(1, Math.round((img.height * dpi) / imageDpi));
  try {
    const scale = Math.min(1, OVERVIEW_SIDE / Math.max(width, height));
    const overview = await greyRaw(base().resize({ width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)), fit: 'fill' }));
    const k = textScale(overview, scale);
    if (k < 1) [dpi, width, height] = [dpi * k, Math.max(1, Math.round(width * k)), Math.max(1, Math.round(height * k))];
    const tiles = planTiles(overview, width, height);
    return {
      kind: 'tiles',
      width,
      height,
      dpi,
      tiles,
      async tile(t: Tile) {
        let p = base();
        if (width !== img.width || height !== img.height) p = p.resize({ width, height, fit: 'fill' });
        return fromGrey(await greyRaw(p.extract(t)), dpi);
      },
    };
  } catch (err) {
    if (err instanceof OcrError) throw err;
    throw new OcrError('corrupt_file', `PDF page image could not be decoded: ${(err as Error).message}`, { cause: err });
  }
}

interface PdfjsPage {
  getViewport(o: { scale: number; offsetX?: number; offsetY?: number }): { width: number; height: number };
  render(o: unknown): { promise: Promise<void> };
}

export async function renderArea(page: PdfjsPage, scale: number, area: Tile): Promise<Overview> {
  const { createCanvas } = nodeRequire('@napi-rs/canvas') as typeof import('@napi-rs/canvas');
  const canvas = createCanvas(area.width, area.height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, area.width, area.height);
  const viewport = page.getViewport({ scale, offsetX: -area.left, offsetY: -area.top });
  await page.render({ canvas, canvasContext: ctx, viewport } as never).promise;
  const rgba = Buffer.from(ctx.getImageData(0, 0, area.width, area.height).data.buffer);
  return greyRaw(sharp(rgba, { raw: { width: area.width, height: area.height, channels: 4 } }));
}

/** A page pdfjs draws (vector art, several images) too big for one 20 MP image at 300 dpi. */
export async function pdfjsTiledPage(page: PdfjsPage, wPt: number, hPt: number): Promise<TiledPage> {
  let dpi = readingDpi(wPt, hPt);
  let scale = dpi / 72;
  let full = page.getViewport({ scale });
  const k = Math.min(1, OVERVIEW_SIDE / Math.max(full.width, full.height));
  const ov = page.getViewport({ scale: scale * k });
  const overview = await renderArea(page, scale * k, { left: 0, top: 0, width: Math.ceil(ov.width), height: Math.ceil(ov.height) });
  const big = textScale(overview, k);
  if (big < 1) {
    dpi *= big;
    scale = dpi / 72;
    full = page.getViewport({ scale });
  }
  const width = Math.ceil(full.width);
  const height = Math.ceil(full.height);
  return {
    kind: 'tiles',
    width,
    height,
    dpi,
    tiles: planTiles(overview, width, height),
    async tile(t: Tile) {
      return fromGrey(await renderArea(page, scale, t), dpi);
    },
  };
}
