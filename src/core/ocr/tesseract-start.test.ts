import { describe, expect, it } from 'vitest';
import { readEnvironment } from '../config/environment';
import { makeTesseractEngineFactory } from './tesseract';
import type { TesseractModule } from './tesseract-worker';

describe('tesseract engine start-up', () => {
  it('gives up with engine_error when createWorker never settles (language data failing to load)', async () => {
    let terminated = false;
    let settle: (w: unknown) => void = () => {};
    const stuck: TesseractModule = {
      OEM: { LSTM_ONLY: 1, TESSERACT_ONLY: 0 },
      createWorker: () => new Promise((r) => (settle = r as (w: unknown) => void)),
    };
    const factory = makeTesseractEngineFactory({ tesseract: stuck, initTimeoutMs: 50 });
    await expect(factory({ languages: 'eng', langPath: readEnvironment().tessdataDir, keepExistingText: false })).rejects.toMatchObject({
      kind: 'engine_error',
      message: expect.stringMatching(/did not start within 50 ms/),
    });
    // A worker that turns up after the timeout is terminated, not leaked.
    settle({ terminate: async () => (terminated = true) });
    await new Promise((r) => setTimeout(r, 10));
    expect(terminated).toBe(true);
  });

  it('refuses languages that are not installed', async () => {
    await expect(
      makeTesseractEngineFactory()({ languages: 'eng+xyz', langPath: readEnvironment().tessdataDir, keepExistingText: false }),
    ).rejects.toMatchObject({ kind: 'engine_error', message: expect.stringMatching(/not installed: xyz/) });
  });
});
