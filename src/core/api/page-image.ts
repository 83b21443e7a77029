/**
 * A page of a document as an image for the viewer, decoded with sharp and scaled to at most
 * 1400 px wide. PDFs are left to the OCR engine's decoders (another branch): until that seam is
 * wired, the viewer shows the text without the image for PDF pages.
 */
import sharp from 'sharp';
import type { PageImage } from './seams';
import type { DocumentRow } from '../store/types';

const MAX_WIDTH = 1400;
// Same bomb guard as the decoders: ~100 MP covers A3 at 600 dpi.
const LIMIT_PIXELS = 100_000_000;

export async function renderPageImage(doc: Pick<DocumentRow, 'path' | 'kind'>, pageNo: number): Promise<PageImage | null> {
  if (!doc.kind.startsWith('image/')) return null;
  try {
    const { data, info } = await sharp(doc.path, { page: pageNo - 1, limitInputPixels: LIMIT_PIXELS })
      .rotate() // EXIF orientation, as OCR saw it
      .flatten({ background: '#ffffff' })
      .resize({ width: MAX_WIDTH, withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return { mime: 'image/webp', base64: data.toString('base64'), width: info.width, height: info.height };
  } catch {
    // A moved or unreadable file: the viewer still shows the text.
    return null;
  }
}
