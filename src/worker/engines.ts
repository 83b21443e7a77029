/**
 * Which OCR engine a worker process runs, by the name in its init message. Engines load lazily,
 * so a worker only ever imports the one it runs (tesseract.js is heavy).
 */
import { OcrError, type OcrEngineFactory } from '../core/ocr/types';

export type EngineName = 'tesseract' | 'fake';
export const ENGINE_NAMES: readonly EngineName[] = ['tesseract', 'fake'];

export function isEngineName(v: unknown): v is EngineName {
  return typeof v === 'string' && (ENGINE_NAMES as readonly string[]).includes(v);
}

const LOADERS: Record<EngineName, () => Promise<OcrEngineFactory>> = {
  async tesseract() {
    return (await import('../core/ocr/index')).createTesseractEngine;
  },
  // Test-only: a scripted engine driven by the file's own text (see its header).
  async fake() {
    return (await import('../core/pool/testing/fake-engine')).createScriptedFakeEngine;
  },
};

export async function loadEngineFactory(name: string): Promise<OcrEngineFactory> {
  if (!isEngineName(name)) {
    throw new OcrError('engine_error', `Unknown OCR engine "${name}"; known: ${ENGINE_NAMES.join(', ')}.`);
  }
  return LOADERS[name]();
}
