import { readFileSync } from 'node:fs';
// RSS of one engine after each corpus input, one pass: `npx tsx bench/rss-probe.ts` (DIRS=pdf for a subset).
// Shows which inputs raise a worker's memory for good (see docs/notes-ocr.md).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTesseractEngine } from '../src/core/ocr/index';
import { readEnvironment } from '../src/core/config/environment';
const C = '/work/shared/corpus';
const files = (process.env.DIRS ?? 'images,pdf,receipts').split(',').flatMap((d) => readdirSync(join(C, d)).filter((f) => !f.endsWith('.txt')).map((f) => join(C, d, f)));
const e = await createTesseractEngine({ languages: 'eng', langPath: readEnvironment().tessdataDir, keepExistingText: false });
let prev = process.memoryUsage().rss;
for (const f of files) {
  try {
    const r = await e.recognize({ path: f, kind: '', bytes: readFileSync(f) });
    const rss = process.memoryUsage().rss;
    console.log(f.split('/').pop(), r.pages.length, Math.round(rss / 1048576), rss - prev > 20e6 ? `+${Math.round((rss - prev) / 1048576)}` : '');
    prev = rss;
  } catch (err) {
    console.log(f.split('/').pop(), 'ERR', (err as { kind: string }).kind);
  }
}
await e.close();
