/** Every page of an input file, in order, as text (PDF text layer) or an image to OCR. */
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import type { PageSource } from './image';
import type { PdfPage } from './pdf';
import { openPdf } from './pdf';
import { sniffFormat } from './sniff';
import { filePages } from './sources';
import type { TiledPage } from './tiles';
import { OcrError } from './types';

export type InputPage = { kind: 'text'; text: string; mixed?: PdfMixed } | { kind: 'image'; source: PageSource } | { kind: 'tiles'; tiled: TiledPage };
type PdfMixed = Extract<PdfPage, { kind: 'text' }>['mixed'];

export async function forEachPage(
  bytes: Buffer,
  o: { keepExistingText: boolean; alwaysImage?: boolean; logger: Logger; /** Visit only the first N pages. */ maxPages?: number },
  visit: (page: InputPage, n: number, count: number) => Promise<void>,
): Promise<void> {
  if (bytes.length === 0) throw new OcrError('corrupt_file', 'The file is empty');
  const format = sniffFormat(bytes);
  if (!format) throw new OcrError('unsupported_format', 'Not an image or PDF Quire can read');
  if (format === 'pdf') {
    const doc = await openPdf(bytes, { keepExistingText: o.keepExistingText, alwaysImage: o.alwaysImage, logger: o.logger });
    try {
      const last = Math.min(doc.pageCount, o.maxPages ?? Infinity);
      for (let n = 1; n <= last; n++) await visit(await doc.page(n), n, doc.pageCount);
    } finally {
      await doc.close();
    }
    return;
  }
  const sources = await filePages(bytes, format);
  const last = Math.min(sources.length, o.maxPages ?? Infinity);
  for (let i = 0; i < last; i++) await visit({ kind: 'image', source: sources[i] as PageSource }, i + 1, sources.length);
}

/**
 * One page of a file as an image, for the document viewer: a PDF page rendered (or its embedded
 * image taken out), an image file's page decoded. Null when the page does not exist or cannot be
 * shown as pixels here (an RLE BMP, which only tesseract reads).
 */
export async function pageImageSource(bytes: Buffer, pageNo: number): Promise<Extract<PageSource, { kind: 'sharp' }> | null> {
  const format = sniffFormat(bytes);
  if (!format || pageNo < 1) return null;
  let source: PageSource | undefined;
  if (format === 'pdf') {
    const doc = await openPdf(bytes, { keepExistingText: false, alwaysImage: true, logger: silentLogger });
    try {
      if (pageNo > doc.pageCount) return null;
      const page = await doc.page(pageNo);
      if (page.kind === 'image') source = page.source;
    } finally {
      await doc.close();
    }
  } else {
    source = (await filePages(bytes, format))[pageNo - 1];
  }
  return source?.kind === 'sharp' ? source : null;
}
