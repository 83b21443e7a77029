import { readFileSync } from 'node:fs';
// One benchmark OCR worker process (forked by bench/ocr.ts): runs the real engine over a list of
// files, cycling until it has done `pages` pages, and reports each document and its RSS.
import { createTesseractEngine } from '../src/core/ocr/index';
import { readEnvironment } from '../src/core/config/environment';

interface Job {
  files: string[];
  pages: number;
  /** Each file once (accuracy run), failures included. */
  once?: boolean;
  languages?: string;
}

process.once('message', async (job: Job) => {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const started = Date.now();
  const engine = await createTesseractEngine({ languages: job.languages ?? 'eng', langPath: readEnvironment().tessdataDir, keepExistingText: false });
  const ready = Date.now();
  let done = 0;
  for (let i = 0; done < job.pages && (!job.once || i < job.files.length); i++) {
    const file = job.files[i % job.files.length] as string;
    const t = Date.now();
    const c0 = process.cpuUsage();
    try {
      const r = await engine.recognize({ path: file, kind: '', bytes: readFileSync(file) });
      done += r.pages.length;
      const rss = process.memoryUsage().rss;
      peak = Math.max(peak, rss);
      const c = process.cpuUsage(c0); // all threads of the process: tesseract runs in a worker thread
      const cpuMs = (c.user + c.system) / 1000;
      process.send?.({ type: 'doc', file, pages: r.pages.length, ms: Date.now() - t, cpuMs, text: r.text, rss, done, sources: r.pages.map((p) => p.source) });
    } catch (err) {
      process.send?.({ type: 'error', file, kind: (err as { kind?: string }).kind ?? 'thrown', message: (err as Error).message, ms: Date.now() - t });
    }
    if (i > job.files.length * 100) break; // every file failing: do not loop forever
  }
  await engine.close();
  clearInterval(sampler);
  process.send?.({ type: 'done', pages: done, startupMs: ready - started, wallMs: Date.now() - ready, peakRss: peak });
  process.disconnect?.();
});
