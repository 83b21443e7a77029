/**
 * Which pages reach tesseract, and which get orientation detection (OSD) and a second reading:
 * the real engine and page pipeline on real images (test/fixtures/ocr), with a scripted stand-in
 * for tesseract.js that records the calls (the decisions are ours, the OCR is not under test).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/helpers';
import { readEnvironment } from '../config/environment';
import { makeTesseractEngineFactory } from './tesseract';
import type { TesseractModule } from './tesseract-worker';
import type { OcrTuning } from './tuning';

const fx = (name: string) => join(REPO_ROOT, 'test', 'fixtures', 'ocr', name);

/** A tesseract.js stand-in: every reading returns `reads` in turn; OSD says 180 degrees. */
function scripted(reads: { text: string; confidence: number }[]) {
  const calls = { workers: [] as string[], recognize: 0, detect: 0 };
  let i = 0;
  const tesseract: TesseractModule = {
    OEM: { LSTM_ONLY: 1, TESSERACT_ONLY: 0 },
    createWorker: async (langs) => {
      calls.workers.push(langs);
      return {
        setParameters: async () => ({}),
        recognize: async () => {
          calls.recognize++;
          return { data: reads[Math.min(i++, reads.length - 1)]! };
        },
        detect: async () => {
          calls.detect++;
          return { data: { orientation_degrees: 180, orientation_confidence: 12 } };
        },
        terminate: async () => ({}),
      };
    },
  };
  return { tesseract, calls };
}

async function read(file: string, reads: { text: string; confidence: number }[], tuning?: Partial<OcrTuning>) {
  const { tesseract, calls } = scripted(reads);
  const engine = await makeTesseractEngineFactory({ tesseract, tuning })({ languages: 'eng', langPath: readEnvironment().tessdataDir, keepExistingText: false });
  try {
    const result = await engine.recognize({ path: fx(file), kind: '', bytes: readFileSync(fx(file)) });
    return { result, calls };
  } finally {
    await engine.close();
  }
}

describe('what the engine spends on a page', () => {
  it('does not OCR a blank page: empty text, no confidence, no OSD', async () => {
    const { result, calls } = await read('charlesw-empty.png', [{ text: 'never', confidence: 0 }]);
    expect(result.pages).toEqual([{ pageNo: 1, text: '', confidence: null, source: 'ocr' }]);
    expect(calls.recognize).toBe(0);
    expect(calls.workers).toEqual(['eng']); // the OSD worker was never started
  });

  it('OCRs the blank page when the check is off (and then skips OSD: no words)', async () => {
    const { calls } = await read('charlesw-empty.png', [{ text: '', confidence: 0 }], { skipBlankPages: false });
    expect(calls.recognize).toBe(1);
    expect(calls.workers).toEqual(['eng']);
  });

  it('asks OSD about a page read with words at low confidence, turns it and keeps the better reading', async () => {
    const { result, calls } = await read('tesstest-phototest.tif', [
      { text: 'gibberish', confidence: 40 },
      { text: 'This is a lot of 12 point text', confidence: 93 },
    ]);
    expect(calls.workers).toEqual(['eng', 'osd']);
    expect([calls.detect, calls.recognize]).toEqual([1, 2]);
    expect(result.text).toBe('This is a lot of 12 point text');
    expect(result.pages[0]?.confidence).toBe(93);
  });

  it('leaves alone a page read at 50 or more, and a non-blank page where no words were found', async () => {
    for (const reads of [[{ text: 'a receipt', confidence: 62 }], [{ text: '  ', confidence: 0 }]]) {
      const { calls } = await read('tesstest-phototest.tif', reads);
      expect([calls.workers, calls.detect, calls.recognize]).toEqual([['eng'], 0, 1]);
    }
  });

  it('follows the tuning: OSD below 70 checks a page read at 62', async () => {
    const { calls } = await read('tesstest-phototest.tif', [{ text: 'a receipt', confidence: 62 }], { orientationCheckBelow: 70 });
    expect(calls.detect).toBe(1);
  });
});
