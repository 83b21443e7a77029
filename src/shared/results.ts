/** What OCR produces for a file: its pages, in order, and the document-level result. */

export interface PageResult {
  pageNo: number; // 1-based
  text: string;
  confidence: number | null; // 0-100, null for extracted text
  source: 'ocr' | 'text_layer';
}

export interface OcrResult {
  text: string; // pages joined by form feed
  pages: PageResult[];
  confidence: number | null; // mean over OCR'd pages
  engine: string;
  languages: string;
  processingTimeMs: number;
  contentHash: string | null;
}
