/**
 * A page of a file as an image for the viewer, scaled to at most 1400 px wide. Pages come from
 * the OCR engine's own decoders (PDF pages rendered or their embedded image taken out, BMP and PNM
 * through Quire's decoders, the rest through sharp), so the viewer shows what OCR read. Runs in a
 * worker process (a request, src/worker/requests.ts), never in a host.
 */
import type { PageImageValue } from './types';
import { pageImageSource } from './pages';

const MAX_WIDTH = 1400;

/** Null when the page does not exist or cannot be shown as pixels (an RLE BMP only tesseract reads). */
export async function renderPageImage(bytes: Buffer, pageNo: number): Promise<PageImageValue | null> {
  const source = await pageImageSource(bytes, pageNo);
  if (!source) return null;
  const { data, info } = await source
    .make()
    .rotate() // EXIF orientation, as OCR saw it
    .flatten({ background: '#ffffff' })
    .resize({ width: MAX_WIDTH, withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer({ resolveWithObject: true });
  return { mime: 'image/webp', bytes: data, width: info.width, height: info.height };
}
