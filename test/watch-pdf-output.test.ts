/**
 * A watched folder asking for searchable PDFs: a real `quire worker` (real tesseract.js engine)
 * reads an image dropped into the folder and writes both outputs next to it; the PDF's invisible
 * text layer reads back. Outputs are never queued themselves.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from './helpers';
import { quire, startQuire, taggedPids } from './pool/cli-helpers';

const TAG = `watch-pdf-${process.pid}`;

describe('watched folder with --txt --pdf outputs', () => {
  afterAll(() => {
    for (const pid of taggedPids(TAG)) process.kill(pid, 'SIGKILL');
  });

  it('writes .ocr.txt and a searchable .ocr.pdf next to the source', async () => {
    const root = tempDir('quire-watch-pdf-');
    const inbox = join(root, 'inbox');
    mkdirSync(inbox);
    const env: NodeJS.ProcessEnv = { ...process.env, QUIRE_TEST_TAG: TAG, OCR_CONCURRENT_JOBS: '1', QUIRE_DATA_DIR: join(root, 'data') };
    const add = await quire(['watch', 'add', inbox, '--txt', '--pdf'], env, { built: true });
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/Searchable PDFs \(\.ocr\.pdf\) are made by the host/);

    const worker = startQuire(['worker'], env, { built: true });
    try {
      const src = join(inbox, 'phototest.tif');
      copyFileSync(join(REPO_ROOT, 'test/fixtures/ocr/tesstest-phototest.tif'), src);
      const pdfPath = `${src}.ocr.pdf`;
      await expect.poll(() => existsSync(pdfPath), { timeout: 150_000, interval: 500 }).toBe(true);
      expect(readFileSync(`${src}.ocr.txt`, 'utf8')).toMatch(/12 point text/);
      const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
      const doc = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(pdfPath)), isEvalSupported: false, disableFontFace: true }).promise;
      const content = await (await doc.getPage(1)).getTextContent();
      expect(content.items.map((i: object) => ('str' in i ? String(i.str) : '')).join(' ')).toMatch(/point/);
      await doc.destroy();
      // The outputs are not inputs: only the image has a job.
      const stats = JSON.parse((await quire(['stats', '--json'], env, { built: true })).stdout);
      expect(stats.completed + stats.pending + stats.processing + stats.failed).toBe(1);
    } finally {
      worker.child.kill('SIGTERM');
      expect((await worker.done).code).toBe(0);
    }
    expect(taggedPids(TAG)).toEqual([]);
  }, 240_000);
});
