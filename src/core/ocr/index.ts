/** The OCR engine module's public face: what worker processes, the CLI and tests import. */
export type { OcrEngine, OcrEngineFactory, OcrEngineOptions, OcrInput, RecognizeOptions } from './types';
export { OcrError } from './types';
export { createSearchablePdf, createTesseractEngine, makeTesseractEngineFactory } from './tesseract';
export type { TesseractEngineDeps } from './tesseract';
