/**
 * `quire run` end to end with the real tesseract.js engine in real worker processes: an image is
 * OCR'd, a born-digital PDF is extracted, a broken file fails with its kind while the rest
 * completes, and search finds a word that exists only in the image's pixels.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quire, taggedPids } from './pool/cli-helpers';
import { REPO_ROOT, tempDir } from './helpers';

const FIX = join(REPO_ROOT, 'test/fixtures/ocr');

// The built command (bin/quire.js -> out/main/cli.js, workers from out/main/worker.js), as users run it.
describe('quire run with the real OCR engine', () => {
  it('processes a small mixed batch: OCR, text layer, and a corrupt file failing with its reason', async () => {
    const root = tempDir();
    const scans = join(root, 'scans');
    mkdirSync(join(scans, 'sub'), { recursive: true });
    copyFileSync(join(FIX, 'tesstest-phototest.tif'), join(scans, 'phototest.tif'));
    copyFileSync(join(FIX, 'pypdf-pdflatex-4-pages.pdf'), join(scans, 'sub/born-digital.pdf'));
    copyFileSync(join(FIX, 'bad-truncated.png'), join(scans, 'sub/truncated.png'));
    const tag = `real-ocr-${process.pid}`;
    const env = { ...process.env, QUIRE_TEST_TAG: tag, OCR_CONCURRENT_JOBS: '2', QUIRE_DATA_DIR: join(root, 'data') };

    const run = await quire(['run', scans], env, { built: true });
    expect(run.code).toBe(1); // one file failed
    expect(run.stdout).toMatch(/truncated\.png/);
    expect(run.stdout).toMatch(/corrupt_file/);

    const stats = JSON.parse((await quire(['stats', '--json'], env, { built: true })).stdout);
    expect(stats).toMatchObject({ pending: 0, processing: 0, completed: 2, failed: 1 });

    const text = await quire(['text', join(scans, 'phototest.tif')], env, { built: true });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/12 point text/);
    const pdf = await quire(['text', join(scans, 'sub/born-digital.pdf')], env, { built: true });
    expect(pdf.stdout).toMatch(/Hello, here is some text without a meaning/);
    expect(pdf.stdout.split('\f')).toHaveLength(4);

    const hit = JSON.parse((await quire(['search', 'format', '--json'], env, { built: true })).stdout) as { path: string }[];
    expect(hit.map((h) => h.path)).toEqual([join(scans, 'phototest.tif')]);

    // Export: a mirrored tree with the text and a searchable PDF whose invisible text layer reads back.
    const out = join(root, 'export');
    const exp = await quire(['export', '--out', out, '--format', 'txt,pdf'], env, { built: true });
    expect(exp.code).toBe(0);
    const mirrored = join(out, scans.slice(1), 'phototest.tif');
    expect(readFileSync(`${mirrored}.txt`, 'utf8')).toMatch(/12 point text/);
    const pdfBytes = readFileSync(`${mirrored}.pdf`);
    expect(pdfBytes.subarray(0, 5).toString()).toBe('%PDF-');
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await pdfjs.getDocument({ data: new Uint8Array(pdfBytes), isEvalSupported: false, disableFontFace: true }).promise;
    const content = await (await doc.getPage(1)).getTextContent();
    const layer = content.items.map((i: object) => ('str' in i ? String(i.str) : '')).join(' ');
    expect(layer).toMatch(/point/);
    await doc.destroy();
    expect(taggedPids(tag)).toEqual([]);
  }, 240_000);
});
