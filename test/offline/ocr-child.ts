// Runs inside the network-blocked child (see block-network.cjs). argv: mode, then a file path.
//   ocr  <file>  -> OCR with the real engine; prints the text as JSON on stdout
//   cdn          -> tesseract.js with NO langPath (it would download from its CDN): the negative
//                   control proving the blocker reaches tesseract's worker thread
import { readFileSync } from 'node:fs';
import { createTesseractEngine } from '../../src/core/ocr/index';
import { readEnvironment } from '../../src/core/config/environment';

const [mode, file] = process.argv.slice(2);
if (mode === 'ocr') {
  const engine = await createTesseractEngine({ languages: 'eng', langPath: readEnvironment().tessdataDir, keepExistingText: false });
  const r = await engine.recognize({ path: file as string, kind: '', bytes: readFileSync(file as string) });
  await engine.close();
  process.stdout.write(JSON.stringify({ text: r.text }) + '\n');
} else {
  const { createWorker, OEM } = (await import('tesseract.js')).default;
  const started = createWorker('eng', OEM.LSTM_ONLY, { cacheMethod: 'none', errorHandler: () => {} });
  const outcome = await Promise.race([
    started.then(async (w) => {
      await w.terminate();
      return 'started';
    }, () => 'failed'),
    new Promise((r) => setTimeout(() => r('never settled'), 5000)),
  ]);
  process.stdout.write(JSON.stringify({ outcome }) + '\n');
  process.exit(0);
}
