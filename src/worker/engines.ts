/**
 * Which OCR engine a worker process runs, by the name in its init message. Engines load lazily,
 * so a worker only imports the one it runs (tesseract.js is heavy). Test engines are not here:
 * tests use their own worker entry (test/support/test-worker.ts).
 */
import { OcrError, type OcrEngineFactory } from '../core/ocr/types';

export type EngineName = 'tesseract';
export const ENGINE_NAMES: readonly EngineName[] = ['tesseract'];

export async function loadEngineFactory(name: string): Promise<OcrEngineFactory> {
  if (name !== 'tesseract') {
    throw new OcrError('engine_error', `Unknown OCR engine "${name}"; known: ${ENGINE_NAMES.join(', ')}.`);
  }
  return (await import('../core/ocr/tesseract')).createTesseractEngine;
}
