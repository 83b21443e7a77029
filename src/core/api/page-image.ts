/**
 * A page of a document as an image for the viewer, scaled to at most 1400 px wide. Pages come
 * from the OCR engine's own decoders (PDF pages rendered or their embedded image taken out, BMP
 * and PNM through Quire's decoders, the rest through sharp), so the viewer shows what OCR read.
 */
import { readFile, stat } from 'node:fs/promises';
import { MAX_INPUT_BYTES } from '../ocr/fs-errors';
import { pageImageSource } from '../ocr/pages';
import type { DocumentRow } from '../../shared/jobs';
import type { PageImage } from '../../shared/views';

const MAX_WIDTH = 1400;

export async function renderPageImage(doc: Pick<DocumentRow, 'path' | 'kind'>, pageNo: number): Promise<PageImage | null> {
  try {
    if ((await stat(doc.path)).size > MAX_INPUT_BYTES) return null;
    const source = await pageImageSource(await readFile(doc.path), pageNo);
    if (!source) return null;
    const { data, info } = await source
      .make()
      .rotate() // EXIF orientation, as OCR saw it
      .flatten({ background: '#ffffff' })
      .resize({ width: MAX_WIDTH, withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return { mime: 'image/webp', base64: data.toString('base64'), width: info.width, height: info.height };
  } catch {
    // A moved, unreadable or undecodable file: the viewer still shows the text.
    return null;
  }
}
