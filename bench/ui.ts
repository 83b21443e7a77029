/**
 * npm run bench:ui: fills a queue with 1,000,000 jobs, then
 *  1. times the jobs listing queries the UI makes (first page per filter/sort, a deep page);
 *  2. opens the Jobs view in Chromium through `quire serve` and prints the time to first rows
 *     and frame times while scrolling through the virtualised table (which pages from the server).
 * Prints figures; asserts nothing. BENCH_JOBS=200000 for a shorter run. BENCH_DATA_DIR=<dir> keeps
 * the filled queue there and reuses it on the next run (filling 1M jobs takes minutes).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureRendererBuilt, launch, openStore, serve } from '../e2e/harness';
import type { JobListQuery } from '../src/shared/listings';

const TOTAL = Number(process.env.BENCH_JOBS ?? 1_000_000);
const keep = process.env.BENCH_DATA_DIR;
const dataDir = keep ?? mkdtempSync(join(tmpdir(), 'quire-bench-ui-'));
const reuse = keep !== undefined && existsSync(join(keep, 'quire.db'));
if (keep) mkdirSync(keep, { recursive: true });

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function fill(): Promise<void> {
  const store = openStore(dataDir);
  const t0 = performance.now();
  const now = Date.now();
  // Plain SQL in two statements (documents, then one job each): the triggers still run per row, so
  // counters and document status stay right, and it takes a fraction of 1M enqueueBatch lookups.
  store.db.exec(`INSERT INTO documents (id, path, size, mtime, kind, added_at, ocr_status)
    WITH RECURSIVE n(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM n WHERE j < ${TOTAL - 1})
    SELECT lower(hex(randomblob(16))), printf('/archive/box-%03d/scan-%07d.tif', j % 500, j),
      50000 + (j % 7) * 1000000, 1, 'image/tiff', ${now}, 'pending' FROM n`);
  store.db.exec(`INSERT INTO ocr_queue (id, document_id, status, priority, attempts, max_attempts, created_at, file_size, run_after)
    SELECT lower(hex(randomblob(16))), id, 'pending', 5, 0, 3, ${now}, size, ${now} FROM documents ORDER BY rowid`);
  // Give the table a realistic mix of states with plain SQL (the triggers keep counters right):
  // ~70% completed, 2% failed across three kinds, 0.1% cancelled, the rest pending.
  store.db.exec(`UPDATE ocr_queue SET status = 'completed', completed_at = ${now}, attempts = 1 WHERE rowid % 10 < 7`);
  store.db.exec(`UPDATE ocr_queue SET status = 'failed', completed_at = ${now}, attempts = 3,
    error_kind = CASE rowid % 3 WHEN 0 THEN 'corrupt_file' WHEN 1 THEN 'timeout' ELSE 'file_missing' END,
    error_message = 'bench failure' WHERE rowid % 50 = 7`);
  store.db.exec(`UPDATE ocr_queue SET status = 'cancelled', completed_at = ${now} WHERE rowid % 1000 = 9`);
  console.log(`filled ${TOTAL.toLocaleString()} jobs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const queries: [string, Omit<JobListQuery, 'limit'>][] = [
    ['newest first', { sort: 'created_desc' }],
    ['path A-Z', { sort: 'path_asc' }],
    ['status=failed', { sort: 'created_desc', status: 'failed' }],
    ['status=cancelled (rare)', { sort: 'created_desc', status: 'cancelled' }],
    ['kind=timeout', { sort: 'created_desc', kind: 'timeout' }],
    ['folder /archive/box-123', { sort: 'path_asc', folder: '/archive/box-123' }],
    ['path contains "scan-0999"', { sort: 'created_desc', pathSearch: 'scan-0999' }],
    ['path contains "nothing" (scan)', { sort: 'created_desc', pathSearch: 'nothing-matches' }],
  ];
  console.log('\nlistJobs, 500 rows (median of 5 runs):');
  for (const [label, q] of queries) {
    const times: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      await store.listJobs({ ...q, limit: 500 });
      times.push(performance.now() - t);
    }
    console.log(`  ${label.padEnd(28)} ${pct(times, 50).toFixed(1)} ms`);
  }
  // A deep page: walk 200 pages with the cursor and time the last one.
  let after: string | undefined;
  let last = 0;
  for (let p = 0; p < 200; p++) {
    const t = performance.now();
    const page = await store.listJobs({ sort: 'path_asc', limit: 500, after });
    last = performance.now() - t;
    after = page.next ?? undefined;
  }
  console.log(`  page 200 of path A-Z (keyset)  ${last.toFixed(1)} ms`);
  await store.close();
}

async function browse(): Promise<void> {
  ensureRendererBuilt();
  const served = await serve(dataDir);
  const b = await launch();
  try {
    const page = await b.context.newPage();
    await page.goto(served.openUrl);
    await page.waitForSelector('[data-testid=stat-pending]');
    const t0 = Date.now();
    await page.goto(`${served.url}#/jobs`);
    await page.waitForSelector('.vrow[aria-rowindex="2"]');
    const firstRows = Date.now() - t0;
    console.log(`\nJobs view: first rows after ${firstRows} ms (navigation to rows drawn, ${TOTAL.toLocaleString()} jobs)`);
    // Scroll 2,000 px per frame for 600 frames (~34,000 rows), timing each frame.
    // Runs in the page (a string, since this file is type-checked without the DOM library).
    const frames = (await page.evaluate(`(async () => {
      const el = document.querySelector('[data-testid=vscroll]');
      const out = [];
      let prev = performance.now();
      for (let i = 0; i < 600; i++) {
        el.scrollTop += 2000;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const now = performance.now();
        out.push(now - prev);
        prev = now;
      }
      return { out, rows: document.querySelector('[data-testid=jobs-count]')?.textContent ?? '' };
    })()`)) as { out: number[]; rows: string };
    const f = frames.out;
    console.log(
      `scrolling: ${f.length} frames, median ${pct(f, 50).toFixed(1)} ms, p95 ${pct(f, 95).toFixed(1)} ms, max ${Math.max(...f).toFixed(1)} ms; ${frames.rows}`,
    );
  } finally {
    await b.close();
    await served.stop();
  }
}

try {
  if (reuse) console.log(`reusing the queue in ${dataDir}`);
  else await fill();
  await browse();
} finally {
  if (!keep) rmSync(dataDir, { recursive: true, force: true });
}
