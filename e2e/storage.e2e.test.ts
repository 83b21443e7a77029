/**
 * The storage banner in a browser: `quire serve` works through a queue whose database becomes
 * unwritable mid-run (the database and its log made immutable). The dashboard must say so while
 * it lasts, and say it is over when the files are writable again; every file still completes.
 * Needs root for chattr (and, where the temp folder has no inode flags, a loop-mounted ext4).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFiles, immutableCapableDir, mountNote, needsMount, slowInputs } from '../test/reliab/fs-faults';
import { ensureRendererBuilt, launch, quireCli, screenshot, serve, type Served, tempData } from './harness';

const statNumber = async (page: Page, key: string) => Number(await page.getAttribute(`[data-testid=stat-${key}]`, 'data-value'));

describe.skipIf(needsMount)(`storage fault shown in the browser${mountNote}`, { timeout: 150_000 }, () => {
  const base = tempData('quire-e2e-storage-');
  const data = join(base, 'data');
  const scans = join(base, 'scans');
  let undo = () => {};
  let served: Served | undefined;
  let browser: Awaited<ReturnType<typeof launch>> | undefined;

  beforeAll(() => {
    ensureRendererBuilt();
    undo = immutableCapableDir(data, join(base, 'ext4.img'));
    slowInputs(scans, 40);
    quireCli(['ingest', scans], data);
  });

  afterAll(async () => {
    try {
      execFileSync('chattr', ['-i', ...databaseFiles(data)]);
    } catch {
      // not frozen
    }
    await browser?.close();
    await served?.stop();
    undo();
  });

  it('the dashboard shows "Results cannot be saved right now" with the reason, then that saving resumed; every file completes', async () => {
    served = await serve(data, [], { QUIRE_TEST_ENGINE: 'scripted', OCR_CONCURRENT_JOBS: '2' }, { scripted: true });
    browser = await launch();
    const page = await browser.context.newPage();
    await page.goto(served.openUrl);
    await expect.poll(() => statNumber(page, 'completed_today'), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=storage-fault]').count()).toBe(0);

    execFileSync('chattr', ['+i', ...databaseFiles(data)]);
    try {
      const banner = page.locator('[data-testid=storage-fault]');
      await banner.waitFor({ timeout: 60_000 });
      const text = await banner.textContent();
      expect(text).toContain('Results cannot be saved right now.');
      expect(text).toMatch(/Cannot write to the queue database \(SQLITE_(IOERR|READONLY)/);
      expect(text).toContain('make the data folder writable');
      await screenshot(page, 'storage-fault');
    } finally {
      execFileSync('chattr', ['-i', ...databaseFiles(data)]);
    }

    await page.locator('[data-testid=storage-ok]').waitFor({ timeout: 60_000 });
    expect(await page.textContent('[data-testid=storage-ok]')).toContain('writable again');
    expect(await page.locator('[data-testid=storage-fault]').count()).toBe(0);
    await expect.poll(() => statNumber(page, 'completed_today'), { timeout: 90_000 }).toBe(40);
    expect(await statNumber(page, 'failed')).toBe(0);
  });
});
