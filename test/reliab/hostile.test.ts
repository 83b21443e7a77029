/**
 * Hostile and broken inputs through the REAL engine (tesseract.js workers via `quire run`): every
 * deliberately bad fixture, plus generated ones (decompression bombs, absurd PDFs, a zip renamed
 * .pdf, a 2 GB sparse file, a FIFO, a file deleted between ingest and OCR, a path with a newline
 * and non-Latin characters). Each ends with the right kind on its first attempt (or completed,
 * where the content is valid), in bounded memory, and the good files beside them complete.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { OCR_FIXTURES } from '../chaos/inputs';
import { cliEnv, startQuire, taggedPids } from '../pool/cli-helpers';
import * as make from './hostile-inputs';
import { contentBombPdf, fontBombPdf, loopingPdf, objectStreamBombPdf } from '../fuzz/pdf-mutate';

const MANY_PAGES = 2000;

/** Expected end of every file: a failure kind, or 'completed' (with its page count). */
const EXPECT: Record<string, string> = {
  'bad-png-named-as.jpg': 'completed', // a valid PNG with the wrong extension
  'bad-text-renamed.png': 'unsupported_format',
  'bad-truncated.png': 'corrupt_file',
  'bad-zero-bytes.png': 'corrupt_file',
  'ocrmypdf-invalid.pdf': 'corrupt_file',
  'ocrmypdf-hugemono.pdf': 'completed', // a 1.2 gigapixel image in 11 kB: read natively, in tiles
  'pdfminer-zen_of_python_corrupted.pdf': 'completed', // partly corrupt: degrades, still reads
  'pypdf-libreoffice-writer-password.pdf': 'password_protected',
  'bomb.png': 'too_large',
  'bomb.tif': 'too_large',
  'huge-page.pdf': 'completed', // a blank 486-inch page: its overview shows no ink, nothing to read
  'many-pages.pdf': 'completed',
  'cyclic.pdf': 'corrupt_file',
  'deep.pdf': 'corrupt_file',
  'archive.pdf': 'unsupported_format',
  'empty.png': 'corrupt_file',
  'sparse.pdf': 'too_large',
  'gone.png': 'file_missing',
  'new\nline-日本語-файл.png': 'completed',
  // Quire's own PDF reader (issue 17): the file that looped for ever, and bombs it now refuses.
  'restart-loop.pdf': 'completed',
  'content-bomb.pdf': 'too_large',
  'object-stream-bomb.pdf': 'too_large',
  'font-bomb.pdf': 'too_large',
  'good-1.png': 'completed',
  'good-2.tif': 'completed',
};

/** Peak resident memory of any one tagged process (Linux), sampled while the run goes. */
function sampleRss(tag: string, peak: { bytes: number }): NodeJS.Timeout {
  return setInterval(() => {
    for (const pid of taggedPids(tag)) {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
        if (m) peak.bytes = Math.max(peak.bytes, Number(m[1]) * 1024);
      } catch {
        // gone
      }
    }
  }, 100);
}

describe('hostile and broken inputs, real OCR engine', () => {
  it('each ends with the right kind at the first attempt, in bounded memory, and good files beside them complete', async () => {
    const root = tempDir('quire-hostile-');
    const dir = join(root, 'in');
    const data = join(root, 'data');
    mkdirSync(dir);
    for (const f of Object.keys(EXPECT)) {
      if (f.startsWith('bad-') || f.startsWith('ocrmypdf-') || f.startsWith('pdfminer-') || f.startsWith('pypdf-')) {
        copyFileSync(join(OCR_FIXTURES, f), join(dir, f));
      }
    }
    writeFileSync(join(dir, 'bomb.png'), make.pngBomb());
    writeFileSync(join(dir, 'bomb.tif'), make.tiffBomb());
    writeFileSync(join(dir, 'huge-page.pdf'), make.pdfHugePage());
    writeFileSync(join(dir, 'many-pages.pdf'), make.pdfManyPages(MANY_PAGES));
    writeFileSync(join(dir, 'cyclic.pdf'), make.pdfCyclicPages());
    writeFileSync(join(dir, 'deep.pdf'), make.pdfDeepNesting());
    writeFileSync(join(dir, 'archive.pdf'), make.zipFile());
    writeFileSync(join(dir, 'empty.png'), '');
    writeFileSync(join(dir, 'restart-loop.pdf'), loopingPdf());
    writeFileSync(join(dir, 'content-bomb.pdf'), contentBombPdf(600));
    writeFileSync(join(dir, 'object-stream-bomb.pdf'), objectStreamBombPdf(1536));
    writeFileSync(join(dir, 'font-bomb.pdf'), fontBombPdf(600));
    // 2 GB, sparse: no test (and no Quire) ever reads it.
    closeSync(openSync(join(dir, 'sparse.pdf'), 'w'));
    execFileSync('truncate', ['-s', '2G', join(dir, 'sparse.pdf')]);
    copyFileSync(join(OCR_FIXTURES, 'tessjs-simple-png.png'), join(dir, 'gone.png'));
    copyFileSync(join(OCR_FIXTURES, 'tessjs-simple-png.png'), join(dir, 'new\nline-日本語-файл.png'));
    writeFileSync(join(dir, 'good-1.png'), Buffer.concat([readFileSync(join(OCR_FIXTURES, 'tessjs-simple-png.png')), Buffer.from('distinct')]));
    copyFileSync(join(OCR_FIXTURES, 'tesstest-phototest.tif'), join(dir, 'good-2.tif'));
    execFileSync('mkfifo', [join(dir, 'pipe.png')]);

    const tag = `hostile-${process.pid}-${Date.now()}`;
    const env = cliEnv(tag, { QUIRE_DATA_DIR: data, OCR_TIMEOUT_SECONDS: '120' });
    env.QUIRE_TEST_ENGINE = 'tesseract'; // the real engine
    // Ingest first, then delete one file before any OCR.
    const ingest = await startQuire(['ingest', dir], env).done;
    expect(ingest.code).toBe(0);
    rmSync(join(dir, 'gone.png'));

    const peak = { bytes: 0 };
    const sampler = sampleRss(tag, peak);
    const run = await startQuire(['run', dir, '--concurrency', '2'], env).done.finally(() => clearInterval(sampler));
    expect(run.code).toBe(1);
    expect(taggedPids(tag)).toEqual([]);

    const db = new Database(join(data, 'quire.db'), { readonly: true });
    const rows = db
      .prepare(
        'SELECT d.path, d.ocr_status AS status, d.ocr_error_kind AS kind, d.page_count AS pages, q.attempts FROM documents d JOIN ocr_queue q ON q.document_id = d.id',
      )
      .all() as { path: string; status: string; kind: string | null; pages: number | null; attempts: number }[];
    db.close();
    const got = Object.fromEntries(rows.map((r) => [r.path.slice(dir.length + 1), r.status === 'completed' ? 'completed' : r.kind]));
    expect(got).toEqual(EXPECT);
    // Permanent failures are never retried; nothing here needed a second attempt (no crash, hang or leak).
    for (const r of rows) expect({ path: r.path, attempts: r.attempts }).toEqual({ path: r.path, attempts: 1 });
    expect(rows.find((r) => r.path.endsWith('many-pages.pdf'))!.pages).toBe(MANY_PAGES);
    // The FIFO was never queued (nor opened): not a regular file.
    expect(rows.some((r) => r.path.endsWith('pipe.png'))).toBe(false);
    process.stdout.write(`hostile inputs: largest resident memory of one process (quire or a worker) ${Math.round(peak.bytes / 1048576)} MB\n`);
    // Bounded memory: far below the worker's hard limit (2 x worker_max_rss_mb = 2 GB).
    expect(peak.bytes).toBeLessThan(1024 * 1048576);
  }, 240_000);
});
