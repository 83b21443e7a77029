/** The tesseract.js engine (work in progress: the stable name comes first). */
import type { OcrEngine, OcrEngineFactory, OcrEngineOptions } from './types';
import { OcrError } from './types';

export const createTesseractEngine: OcrEngineFactory = async (_opts: OcrEngineOptions): Promise<OcrEngine> => {
  throw new OcrError('engine_error', 'tesseract engine not implemented yet');
};
