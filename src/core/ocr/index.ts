/** The OCR engine module's public face: what worker processes, the CLI and tests import. */
export type { OcrEngine, OcrEngineFactory, OcrEngineOptions, OcrInput, RecognizeOptions } from './types';
export { OcrError } from './types';
export { createTesseractEngine, makeTesseractEngineFactory } from './tesseract';
export { createSearchablePdf } from './searchable-pdf/index';
export type { SearchablePdfOptions } from './searchable-pdf/index';
export type { TesseractEngineDeps } from './tesseract';
