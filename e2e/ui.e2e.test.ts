/**
 * The whole product in Debian's Chromium against a real `quire serve`: its worker pool runs the
 * real tesseract.js engine on small real images (concurrency 2) and its watcher really watches
 * the folder added from the UI. Each main screen is screenshotted into test-artifacts/.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_KIND_MESSAGES } from '../src/shared/errors';
import type { SqliteJobStore } from '../src/core/store/sqlite/store';
import { ensureRendererBuilt, launch, openStore, quireCli, REPO, screenshot, serve, type Served, tempData } from './harness';

const OCR_FIXTURES = join(REPO, 'test', 'fixtures', 'ocr');
/** Real OCR on a loaded 2-core machine: generous limits for waits that end as soon as the page shows the result. */
const OCR_WAIT = { timeout: 60_000 };

async function statNumber(page: Page, key: string): Promise<number> {
  return Number(await page.getAttribute(`[data-testid=stat-${key}]`, 'data-value'));
}

describe('the UI in a browser against quire serve with its real worker pool and watcher', { timeout: 150_000 }, () => {
  let served: Served;
  let browser: Awaited<ReturnType<typeof launch>>;
  let page: Page;
  let store: SqliteJobStore;
  const dataDir = tempData();
  const scans = join(dataDir, 'scans');
  const staging = join(dataDir, 'staging');
  const cspErrors: string[] = [];

  /** Copies a fixture into the watched folder through a rename, as a finished download or scan lands. */
  const dropIntoWatched = (fixture: string, name: string) => {
    copyFileSync(fixture, join(staging, name));
    copyFileSync(join(staging, name), join(scans, name));
  };

  beforeAll(async () => {
    ensureRendererBuilt();
    mkdirSync(scans);
    mkdirSync(staging);
    // The text "lazy fox" exists only as pixels in this image.
    copyFileSync(join(REPO, 'test', 'fixtures', 'ui', 'phototest.tif'), join(scans, 'phototest.tif'));
    // The first half of a real PNG: the decoder refuses it as corrupt.
    copyFileSync(join(OCR_FIXTURES, 'bad-truncated.png'), join(scans, 'broken.png'));
    // Two workers, saved as a setting (an environment variable would override the UI's changes).
    quireCli(['config', 'set', 'concurrent_ocr_jobs', '2'], dataDir);
    served = await serve(dataDir, [], { OCR_CONCURRENT_JOBS: '' });
    store = openStore(dataDir);
    browser = await launch();
    await browser.context.grantPermissions(['notifications'], { origin: served.url.replace(/\/$/, '') });
    // Records the notifications the page shows (an init script runs before the page's own and
    // is not subject to its CSP). A string, since this file is type-checked without the DOM library.
    await browser.context.addInitScript(`(() => {
      const Real = window.Notification;
      window.__notes = [];
      class Spy extends Real {
        constructor(title, options) {
          window.__notes.push({ title, body: options && options.body });
          super(title, options);
        }
        static get permission() { return Real.permission; }
        static requestPermission() { return Real.requestPermission(); }
      }
      window.Notification = Spy;
    })()`);
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

  it('requires the token: without it the page says what to do and shows no data; an API link gets the same as a page (401)', async () => {
    const res = await page.goto(served.url);
    expect(res!.status()).toBe(200); // the page itself holds no data
    await page.waitForSelector('[data-testid=no-token]');
    expect(await page.textContent('body')).toContain('needs its access token');
    expect(await page.locator('[data-testid=stat-pending]').count()).toBe(0);
    const api = await page.goto(`${served.url}api/queue/stats`);
    expect(api!.status()).toBe(401);
    expect(await page.textContent('h1')).toBe('Quire needs its access token');
    await screenshot(page, 'no-token');
  });

  it('opens with the printed URL, drops the token from the address bar, and shows the real workers', async () => {
    await page.goto(served.openUrl);
    await page.waitForSelector('[data-testid=stat-pending]');
    expect(page.url()).toBe(served.url);
    await expect.poll(() => page.locator('[data-testid=worker-row]').count(), OCR_WAIT).toBe(2);
    expect(await page.locator('[data-testid=no-worker]').count()).toBe(0);
  });

  it('adds and watches a folder from the Add files screen; real OCR takes progress to done', async () => {
    await page.click('[data-testid=nav-ingest]');
    // A relative line is refused on its own; the good line is still added.
    await page.fill('[data-testid=ingest-paths]', `${scans}\nrelative/scans`);
    await page.check('label.check input[type=checkbox]');
    await screenshot(page, 'ingest');
    await page.click('[data-testid=ingest-submit]');
    await page.waitForSelector('[data-testid=ingest-result]');
    expect(await page.textContent('[data-testid=ingest-result]')).toContain('Added2');
    expect(await page.textContent('[data-testid=ingest-refused]')).toBe('relative/scans: Give the full path (from / on Linux and macOS, from a drive letter on Windows).');
    expect(await page.inputValue('[data-testid=ingest-paths]')).toBe('relative/scans');
    await page.click('[data-testid=nav-dashboard]');
    await page.waitForSelector('[data-testid=progress-text]:text("2 of 2 files finished")', OCR_WAIT);
    expect(await page.textContent('[data-testid=progress-text]')).toContain('1 completed, 1 failed');
    // The end of the batch is announced by a browser notification, with the failure counted.
    await expect.poll(() => page.evaluate('window.__notes')).toEqual([
      { title: 'Quire finished, with failures', body: '1 file read; 1 file could not be read (see Failures).' },
    ]);
    expect(await page.title()).toBe('Done · Dashboard · Quire');
    const photo = await store.getDocumentByPath(join(scans, 'phototest.tif'));
    expect(photo!.ocrStatus).toBe('completed');
    expect(photo!.text).toMatch(/lazy\s+fox/);
  });

  it('watches the folder: a file dropped into it later is found and read', async () => {
    await page.click('[data-testid=nav-watched]');
    await page.waitForSelector(`td:text("${scans}")`);
    await page.waitForSelector('[data-testid=folder-state]:text-is("Watching")', OCR_WAIT);
    await screenshot(page, 'watched');
    dropIntoWatched(join(OCR_FIXTURES, 'tessjs-simple-png.png'), 'simple.png');
    await page.click('[data-testid=nav-dashboard]');
    await expect.poll(async () => (await store.getDocumentByPath(join(scans, 'simple.png')))?.ocrStatus, OCR_WAIT).toBe('completed');
    expect((await store.getDocumentByPath(join(scans, 'simple.png')))!.text).toContain('Tesseract.js');
    // The dashboard counts the batch in hand (since the queue was last idle), not the whole history.
    await page.waitForSelector('[data-testid=eta]:text("This batch is done.")', OCR_WAIT);
    expect(await page.textContent('[data-testid=progress-text]')).toMatch(/^(\d+) of \1 files finished/);
  });

  it('shows the same dashboard numbers as quire stats --json', async () => {
    await page.click('[data-testid=nav-dashboard]');
    await page.waitForSelector('[data-testid=stat-pending][data-value="0"]');
    await page.waitForSelector('[data-testid=stat-failed][data-value="1"]');
    const cli = JSON.parse(quireCli(['stats', '--json'], dataDir)) as Record<string, number>;
    // The dashboard refreshes on its own clock: it must come to the CLI's numbers, not lag behind them.
    for (const key of ['pending', 'processing', 'failed', 'completed_today']) {
      await expect.poll(() => statNumber(page, key), { message: key, timeout: 10_000 }).toBe(cli[key]);
    }
    expect(cli.completed_today).toBe(2);
    // Minutes move with the clock between the two readings: compare to the CLI's 2 decimals, give or take a minute.
    for (const key of ['avg_wait_time_minutes', 'oldest_pending_minutes']) {
      expect(Math.abs((await statNumber(page, key)) - cli[key]!), key).toBeLessThan(1);
    }
    await screenshot(page, 'dashboard');
  });

  it('pause stops the pool from starting new files; resume lets it read them', async () => {
    await page.click('[data-testid=pause]');
    await page.waitForSelector('[data-testid=queue-state]:text("Paused")');
    expect(JSON.parse(quireCli(['stats', '--json'], dataDir)).paused).toBe(true);
    dropIntoWatched(join(OCR_FIXTURES, 'tessjs-simple-gif.gif'), 'while-paused.gif');
    // The watcher still enqueues while paused ...
    await page.waitForSelector('[data-testid=stat-pending][data-value="1"]', OCR_WAIT);
    // ... but the pool, which looks for work every second, starts nothing.
    await new Promise((r) => setTimeout(r, 3000));
    expect((await store.getDocumentByPath(join(scans, 'while-paused.gif')))!.ocrStatus).toBe('pending');
    expect(await page.locator('[data-testid=worker-row][data-state=busy]').count()).toBe(0);
    // Paused is impossible to miss: a banner on every screen, the bar and the title say so.
    await page.waitForSelector('[data-testid=paused-banner]');
    expect(await page.title()).toMatch(/^Paused · /);
    expect(await page.textContent('[data-testid=eta]')).toBe('Paused: no file starts until you resume.');
    // The file that waits is the batch in hand: 0 of 1.
    expect(await page.textContent('[data-testid=progress-text]')).toMatch(/^0 of 1 files finished/);
    // The Jobs list filtered to pending shows that file; resumed from the banner every screen
    // carries, the file starts and its row leaves the filtered list (it is pending no more).
    await page.goto(`${served.url}#/jobs?status=pending`);
    await page.waitForSelector('[data-testid=jobs-count]:text("1 job shown")');
    await page.click('[data-testid=paused-banner] button:text("Resume")');
    await page.waitForSelector('[data-testid=jobs-count]:text("0 jobs shown")', OCR_WAIT);
    await page.click('[data-testid=nav-dashboard]');
    await page.waitForSelector('[data-testid=queue-state]:text("Running")');
    await page.waitForSelector('[data-testid=progress-text]:text("1 of 1 files finished")', OCR_WAIT);
    expect(await page.locator('[data-testid=paused-banner]').count()).toBe(0);
    expect((await store.getDocumentByPath(join(scans, 'while-paused.gif')))!.ocrStatus).toBe('completed');
  });

  it('changing concurrency resizes the running pool', async () => {
    await page.fill('#concurrency', '1');
    await page.click('form:has(#concurrency) button[type=submit]');
    await page.waitForSelector('text=Now reading up to 1 file at once.');
    await expect.poll(() => page.locator('[data-testid=worker-row]').count(), OCR_WAIT).toBe(1);
    expect(quireCli(['config', 'get', 'concurrent_ocr_jobs'], dataDir).trim()).toBe('1');
    await page.fill('#concurrency', '2');
    await page.click('form:has(#concurrency) button[type=submit]');
    await page.waitForSelector('text=Now reading up to 2 files at once.');
    await expect.poll(() => page.locator('[data-testid=worker-row]').count(), OCR_WAIT).toBe(2);
  });

  it('lists jobs and filters them by status and path', async () => {
    await page.click('[data-testid=nav-jobs]');
    await page.waitForSelector('[data-testid=jobs-count]:text("4 jobs shown")');
    await page.selectOption('[data-testid=filter-status]', 'failed');
    await page.waitForSelector('[data-testid=jobs-count]:text("1 job shown")');
    expect(await page.textContent('[data-testid=job-status] .line1')).toBe('Failed');
    expect(await page.textContent('[data-testid=job-kind]')).toBe('corrupt file');
    // The whole error is on screen in the details, not only in a tooltip.
    await page.click('.vrow[aria-rowindex="2"] button:has-text("Details")');
    const decoderSays = (await store.getDocumentByPath(join(scans, 'broken.png')))!.ocrError!;
    expect(await page.textContent('[data-testid=job-details-error]')).toBe(decoderSays);
    // Each row's buttons say which file they act on.
    expect(await page.getByRole('button', { name: 'Requeue broken.png', exact: true }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Details broken.png', exact: true }).count()).toBe(1);
    await page.selectOption('[data-testid=filter-status]', '');
    await page.fill('[data-testid=filter-path]', 'phototest');
    await page.waitForSelector('[data-testid=jobs-count]:text("1 job shown")');
    await page.fill('[data-testid=filter-path]', '');
    await page.waitForSelector('[data-testid=jobs-count]:text("4 jobs shown")');
    await screenshot(page, 'jobs');
  });

  it('shows the broken file under failures with its reason, exports them, and requeues it to the real pool', async () => {
    await page.click('[data-testid=nav-failures]');
    await page.waitForSelector('[data-testid=group-corrupt_file]');
    expect(await page.textContent('[data-testid=failures-total]')).toBe('1 failed file');
    const corrupt = page.locator('[data-testid=group-corrupt_file]');
    expect(await corrupt.textContent()).toContain(ERROR_KIND_MESSAGES.corrupt_file);
    await corrupt.locator('button[aria-expanded]').click();
    await corrupt.getByText(join(scans, 'broken.png')).first().waitFor();
    const doc = await store.getDocumentByPath(join(scans, 'broken.png'));
    expect(doc!.ocrErrorKind).toBe('corrupt_file');
    // The decoder's own sentence is shown beside the file.
    expect(await corrupt.textContent()).toContain(doc!.ocrError!);
    await screenshot(page, 'failures');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-csv]')]);
    expect(download.suggestedFilename()).toBe('quire-failures.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('path,error_kind,reason,message,attempts,job_id');
    expect(csv).toContain(`${join(scans, 'broken.png')},corrupt_file,${ERROR_KIND_MESSAGES.corrupt_file}`);

    const [before] = await store.listFailures();
    // The file has not changed: a requeue would fail it again, so it is left, and the page says so.
    await corrupt.locator('li button:text("Requeue if changed")').click();
    await page.waitForSelector('[role=status]:text("1 left as it is: the file has not changed since it failed (1 corrupt_file).")');
    expect((await store.getDocumentByPath(join(scans, 'broken.png')))!.ocrStatus).toBe('failed');
    await corrupt.locator('[data-testid=requeue-anyway]').click();
    // The pool reads it again and the decoder refuses it again: it comes back, failed anew.
    await expect.poll(async () => (await store.listFailures())[0]?.failedAt ?? 0, OCR_WAIT).toBeGreaterThan(before!.failedAt!);
    await page.waitForSelector('[data-testid=group-corrupt_file]', OCR_WAIT);
    expect((await store.getDocumentByPath(join(scans, 'broken.png')))!.ocrStatus).toBe('failed');
  });

  it('finds a word that is only in an image, and shows the page beside its image', async () => {
    await page.click('[data-testid=nav-documents]');
    await page.fill('[data-testid=search-input]', 'lazy fox');
    await page.press('[data-testid=search-input]', 'Enter');
    await page.waitForSelector('[data-testid=search-hit]');
    const hit = page.locator('[data-testid=search-hit]');
    expect(await hit.count()).toBe(1);
    expect(await hit.textContent()).toContain('phototest.tif');
    expect(await hit.locator('mark').first().textContent()).toMatch(/lazy|fox/i);
    await hit.locator('button').click();
    await page.waitForSelector('[data-testid=page-text]');
    expect(await page.textContent('[data-testid=page-text]')).toMatch(/quick\s+brown\s+dog/);
    const img = page.locator('.page-image img');
    await img.waitFor();
    const loaded = await img.evaluate((el) => {
      const i = el as unknown as { complete: boolean; naturalWidth: number };
      return i.complete && i.naturalWidth > 0;
    });
    expect(loaded).toBe(true);
    await screenshot(page, 'document');
  });

  it('reads files in the languages chosen for them on Add files and Watched folders, and says so', async () => {
    const letters = join(dataDir, 'letters');
    mkdirSync(letters);
    copyFileSync(join(OCR_FIXTURES, 'tessjs-simple-png.png'), join(letters, 'brief.png'));
    await page.click('[data-testid=nav-ingest]');
    // Folded away under what files are read with now: the setting's languages.
    expect(await page.textContent('[data-testid=ingest-languages-summary]')).toBe('English (eng)');
    await page.click('[data-testid=ingest-languages-details] summary');
    await page.check('[data-testid=ingest-languages] input[value=deu]');
    expect(await page.textContent('[data-testid=ingest-languages-summary]')).toBe('English (eng), German (deu)');
    await screenshot(page, 'ingest-languages');
    await page.fill('[data-testid=ingest-paths]', letters);
    await page.click('[data-testid=ingest-submit]');
    await page.waitForSelector('[data-testid=ingest-result]');
    await expect.poll(async () => (await store.getDocumentByPath(join(letters, 'brief.png')))?.ocrStatus, OCR_WAIT).toBe('completed');
    const doc = (await store.getDocumentByPath(join(letters, 'brief.png')))!;
    expect(doc.languages).toBe('eng+deu');
    expect(doc.text).toContain('Tesseract.js');
    await page.goto(`${served.url}#/document/${encodeURIComponent(doc.id)}`);
    await page.waitForSelector('[data-testid=doc-languages]');
    expect(await page.textContent('[data-testid=doc-languages]')).toBe('English (eng), German (deu)');

    // A watched folder keeps its own choice, shown in the list; unticking every language is refused.
    const archive = join(dataDir, 'archive-fr');
    mkdirSync(archive);
    await page.click('[data-testid=nav-watched]');
    await page.fill('#watch-path', archive);
    await page.click('[data-testid=watch-languages-details] summary');
    await page.uncheck('[data-testid=watch-languages] input[value=eng]');
    await page.click('button:text("Watch this folder")');
    expect(await page.textContent('[role=alert]')).toContain('Choose at least one language');
    await page.check('[data-testid=watch-languages] input[value=fra]');
    await page.click('button:text("Watch this folder")');
    await page.waitForSelector(`td:text("${archive}")`);
    const row = page.locator('tr', { has: page.locator(`td:text("${archive}")`) });
    expect(await row.locator('[data-testid=folder-languages]').textContent()).toBe('French (fra)');
    expect(JSON.parse(quireCli(['watch', 'list', '--json'], dataDir)).find((f: { path: string }) => f.path === archive).languages).toBe('fra');
    await screenshot(page, 'watched-languages');
  });

  it('validates settings with clear sentences and saves good values', async () => {
    await page.click('[data-testid=nav-settings]');
    await page.waitForSelector('[data-testid=set-ocr_timeout_seconds]');
    await page.fill('[data-testid=set-ocr_timeout_seconds]', '2');
    await page.click('[data-testid=settings-save]');
    await page.waitForSelector('[data-testid=set-ocr_timeout_seconds-error]');
    expect(await page.textContent('[data-testid=set-ocr_timeout_seconds-error]')).toBe(
      'Invalid value "2" for “Time limit for one page”: it accepts a whole number from 5 to 86400.',
    );
    expect(quireCli(['config', 'get', 'ocr_timeout_seconds'], dataDir).trim()).toBe('300');
    await screenshot(page, 'settings-invalid');
    await page.fill('[data-testid=set-ocr_timeout_seconds]', '120');
    await page.click('[data-testid=settings-save]');
    await page.waitForSelector('text=Settings saved.');
    expect(quireCli(['config', 'get', 'ocr_timeout_seconds'], dataDir).trim()).toBe('120');
    await screenshot(page, 'settings');
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

  it('stops on SIGTERM: workers end, the watcher records it stopped, no error is logged', async () => {
    const pids = JSON.parse(quireCli(['stats', '--json'], dataDir)) as { processing: number };
    expect(pids.processing).toBe(0);
    await served.stop();
    expect(served.proc.exitCode).toBe(0);
    expect(served.stderr()).not.toMatch(/"level":"error"/);
    const folders = JSON.parse(quireCli(['watch', 'list', '--json'], dataDir)) as { path: string; state: string }[];
    expect(folders.map((f) => [f.path, f.state])).toEqual([
      [join(dataDir, 'archive-fr'), 'stopped'],
      [scans, 'stopped'],
    ]);
  });
});
