/**
 * The whole UI in Debian's Chromium against a real `quire serve` on a temp data folder.
 * Until the worker pool is merged, "processing" is done through the store from this process
 * (claim + complete with the page's real text, claim + fail with a kind), exactly the calls a
 * worker makes; see processLikeAWorker. Each main screen is screenshotted into test-artifacts/.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_KIND_MESSAGES } from '../src/core/errors';
import type { SqliteJobStore } from '../src/core/store/sqlite/store';
import { ensureRendererBuilt, launch, openStore, quireCli, REPO, screenshot, serve, type Served, tempData } from './harness';

const PHOTOTEST_TEXT =
  'This is a lot of 12 point text to test the\nocr code and see if it works on all types\nof file format.\n\n' +
  'The quick brown dog jumped over the\nlazy fox. The quick brown dog jumped\nover the lazy fox.';

/**
 * SEAM(pool): stands in for `quire worker` until the pool branch lands: the same store calls a
 * worker makes, with the real text of the real page. Failing files get the kind a decoder gives.
 */
async function processLikeAWorker(store: SqliteJobStore): Promise<void> {
  for (;;) {
    const job = await store.claim('e2e-worker');
    if (!job) return;
    if (job.path.endsWith('phototest.tif')) {
      await store.progress(job.jobId, 'e2e-worker', 1, 1);
      await store.complete(job.jobId, 'e2e-worker', {
        text: PHOTOTEST_TEXT,
        pages: [{ pageNo: 1, text: PHOTOTEST_TEXT, confidence: 91, source: 'ocr' }],
        confidence: 91,
        engine: 'tesseract.js',
        languages: 'eng',
        processingTimeMs: 1200,
        contentHash: null,
      });
    } else if (job.path.endsWith('broken.png')) {
      await store.fail(job.jobId, 'e2e-worker', { kind: 'corrupt_file', message: 'PNG data ends early: the file is truncated.' });
    } else {
      await store.fail(job.jobId, 'e2e-worker', { kind: 'file_missing', message: `${job.path} was deleted before it was read.` });
    }
  }
}

async function statNumber(page: Page, key: string): Promise<number> {
  return Number(await page.getAttribute(`[data-testid=stat-${key}]`, 'data-value'));
}

describe('the UI in a browser against quire serve', () => {
  let served: Served;
  let browser: Awaited<ReturnType<typeof launch>>;
  let page: Page;
  let store: SqliteJobStore;
  const dataDir = tempData();
  const scans = join(dataDir, 'scans');
  const cspErrors: string[] = [];

  beforeAll(async () => {
    ensureRendererBuilt();
    mkdirSync(scans);
    copyFileSync(join(REPO, 'test', 'fixtures', 'ui', 'phototest.tif'), join(scans, 'phototest.tif'));
    writeFileSync(join(scans, 'broken.png'), Buffer.from('\x89PNG\r\n\x1a\nthis is not the rest of a png'));
    writeFileSync(join(scans, 'gone.jpg'), Buffer.from('not read in this test'));
    served = await serve(dataDir);
    store = openStore(dataDir);
    browser = await launch();
    page = await browser.context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('requires the token: without it the server answers 401 and shows no data', async () => {
    const res = await page.goto(served.url);
    expect(res!.status()).toBe(401);
    expect(await page.textContent('body')).toContain('needs its access token');
    const api = await page.goto(`${served.url}api/queue/stats`);
    expect(api!.status()).toBe(401);
  });

  it('opens with the printed URL and drops the token from the address bar', async () => {
    await page.goto(served.openUrl);
    await page.waitForSelector('[data-testid=stat-pending]');
    expect(page.url()).toBe(served.url);
    expect(await page.textContent('[data-testid=no-worker]')).toContain('No worker running');
  });

  it('adds a folder from the Add files screen', async () => {
    await page.click('[data-testid=nav-ingest]');
    await page.fill('[data-testid=ingest-paths]', scans);
    await screenshot(page, 'ingest');
    await page.click('[data-testid=ingest-submit]');
    await page.waitForSelector('[data-testid=ingest-result]');
    expect(await page.textContent('[data-testid=ingest-result]')).toContain('Added3');
    expect((await store.stats()).pending).toBe(3);
  });

  it('shows the same dashboard numbers as quire stats --json, updating live', async () => {
    await processLikeAWorker(store);
    // One more file stays pending so every number is in play.
    await store.enqueueBatch([{ path: join(scans, 'later.png'), size: 5, mtimeMs: 1, kind: 'image/png' }]);
    await page.click('[data-testid=nav-dashboard]');
    // The server notices the other process's writes and pushes them (no reload).
    await page.waitForSelector('[data-testid=stat-failed][data-value="2"]');
    await page.waitForSelector('[data-testid=stat-pending][data-value="1"]');
    const cli = JSON.parse(quireCli(['stats', '--json'], dataDir)) as Record<string, number>;
    for (const key of ['pending', 'processing', 'failed', 'completed_today']) {
      expect(await statNumber(page, key), key).toBe(cli[key]);
    }
    // Minutes move with the clock between the two readings: compare to the CLI's 2 decimals, give or take a minute.
    for (const key of ['avg_wait_time_minutes', 'oldest_pending_minutes']) {
      expect(Math.abs((await statNumber(page, key)) - cli[key]!), key).toBeLessThan(1);
    }
    expect(await page.textContent('[data-testid=progress-text]')).toContain('3 of 4 files finished');
    await screenshot(page, 'dashboard');
  });

  it('pauses and resumes the queue', async () => {
    await page.click('[data-testid=pause]');
    await page.waitForSelector('[data-testid=queue-state]:text("Paused")');
    expect(await store.isPaused()).toBe(true);
    expect(JSON.parse(quireCli(['stats', '--json'], dataDir)).paused).toBe(true);
    expect(await store.claim('nobody')).toBeNull();
    await page.click('[data-testid=resume]');
    await page.waitForSelector('[data-testid=queue-state]:text("Running")');
    expect(await store.isPaused()).toBe(false);
  });

  it('lists jobs and filters them by status and path', async () => {
    await page.click('[data-testid=nav-jobs]');
    await page.waitForSelector('[data-testid=jobs-count]:text("4 jobs shown")');
    await page.selectOption('[data-testid=filter-status]', 'failed');
    await page.waitForSelector('[data-testid=jobs-count]:text("2 jobs shown")');
    await page.fill('[data-testid=filter-path]', 'broken');
    await page.waitForSelector('[data-testid=jobs-count]:text("1 job shown")');
    expect(await page.textContent('[data-testid=job-status]')).toBe('failed (corrupt_file)');
    await page.fill('[data-testid=filter-path]', '');
    await page.selectOption('[data-testid=filter-status]', '');
    await page.waitForSelector('[data-testid=jobs-count]:text("4 jobs shown")');
    await screenshot(page, 'jobs');
  });

  it('shows failures grouped by kind with reasons, and requeues a group and one file', async () => {
    await page.click('[data-testid=nav-failures]');
    await page.waitForSelector('[data-testid=group-corrupt_file]');
    expect(await page.textContent('[data-testid=failures-total]')).toBe('2 failed files');
    const corrupt = page.locator('[data-testid=group-corrupt_file]');
    expect(await corrupt.textContent()).toContain(ERROR_KIND_MESSAGES.corrupt_file);
    expect(await page.locator('[data-testid=group-file_missing]').textContent()).toContain(ERROR_KIND_MESSAGES.file_missing);
    await corrupt.locator('button[aria-expanded]').click();
    await corrupt.locator('text=PNG data ends early').waitFor();
    expect(await corrupt.textContent()).toContain(join(scans, 'broken.png'));
    await screenshot(page, 'failures');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-csv]')]);
    expect(download.suggestedFilename()).toBe('quire-failures.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('path,error_kind,reason,message,attempts,job_id');
    expect(csv).toContain(`${join(scans, 'broken.png')},corrupt_file,${ERROR_KIND_MESSAGES.corrupt_file}`);
    expect(csv).toContain(join(scans, 'gone.jpg'));

    await corrupt.locator('text=Requeue group').click();
    await page.waitForSelector('text=Requeued 1 job.');
    await page.waitForSelector('[data-testid=group-corrupt_file]', { state: 'detached' });
    const broken = await store.getDocumentByPath(join(scans, 'broken.png'));
    expect(broken!.ocrStatus).toBe('pending');

    const missing = page.locator('[data-testid=group-file_missing]');
    await missing.locator('button[aria-expanded]').click();
    await missing.locator('li button:text("Requeue")').click();
    await page.waitForSelector('text=No failed files.');
    expect((await store.stats()).failed).toBe(0);
  });

  it('finds a document by its text and shows each page beside its image', async () => {
    await page.click('[data-testid=nav-documents]');
    await page.fill('[data-testid=search-input]', 'lazy fox');
    await page.press('[data-testid=search-input]', 'Enter');
    await page.waitForSelector('[data-testid=search-hit]');
    const hit = page.locator('[data-testid=search-hit]');
    expect(await hit.count()).toBe(1);
    expect(await hit.locator('mark').first().textContent()).toMatch(/lazy|fox/);
    await hit.locator('button').click();
    await page.waitForSelector('[data-testid=page-text]');
    expect(await page.textContent('[data-testid=page-text]')).toContain('The quick brown dog jumped over the');
    const img = page.locator('.page-image img');
    await img.waitFor();
    const loaded = await img.evaluate((el) => {
      const i = el as unknown as { complete: boolean; naturalWidth: number };
      return i.complete && i.naturalWidth > 0;
    });
    expect(loaded).toBe(true);
    await screenshot(page, 'document');
  });

  it('validates settings with clear sentences and saves good values', async () => {
    await page.click('[data-testid=nav-settings]');
    await page.waitForSelector('[data-testid=set-ocr_timeout_seconds]');
    await page.fill('[data-testid=set-ocr_timeout_seconds]', '2');
    await page.click('[data-testid=settings-save]');
    await page.waitForSelector('[data-testid=set-ocr_timeout_seconds-error]');
    expect(await page.textContent('[data-testid=set-ocr_timeout_seconds-error]')).toBe(
      'Invalid value "2" for ocr_timeout_seconds: it accepts a whole number from 5 to 86400.',
    );
    expect(quireCli(['config', 'get', 'ocr_timeout_seconds'], dataDir).trim()).toBe('300');
    await screenshot(page, 'settings-invalid');
    await page.fill('[data-testid=set-ocr_timeout_seconds]', '120');
    await page.click('[data-testid=settings-save]');
    await page.waitForSelector('text=Settings saved.');
    expect(quireCli(['config', 'get', 'ocr_timeout_seconds'], dataDir).trim()).toBe('120');
    await screenshot(page, 'settings');
  });

  it('says when folder watching is not running', async () => {
    await page.click('[data-testid=nav-watched]');
    await page.waitForSelector('[data-testid=watcher-unavailable]');
    await screenshot(page, 'watched');
  });

  it('follows the OS dark theme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.click('[data-testid=nav-dashboard]');
    await page.waitForSelector('[data-testid=stat-pending]');
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(22, 24, 28)');
    await screenshot(page, 'dashboard-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(255, 255, 255)');
  });

  it('can be driven by keyboard: Tab reaches the screens and Enter opens one', async () => {
    await page.click('[data-testid=nav-dashboard]');
    await page.focus('[data-testid=nav-dashboard]');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#jobs-title');
  });

  it('ran every screen under the strict CSP without a violation', () => {
    expect(cspErrors).toEqual([]);
  });
});
