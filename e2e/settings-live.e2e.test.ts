/**
 * The Settings screen says, from the core, when a running Quire applies each change (at once, from
 * the next file, or after a restart) and when a number was capped; and a changed page time limit
 * reaches a file `quire serve`'s pool is reading now, without a restart (scripted engine).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORES } from '../src/core/config/config';
import { ensureRendererBuilt, launch, openStore, quireCli, screenshot, serve, type Served, tempData } from './harness';

describe('settings applied by a running Quire', { timeout: 120_000 }, () => {
  const dataDir = tempData('quire-e2e-live-');
  let served: Served;
  let browser: Awaited<ReturnType<typeof launch>>;
  let page: Page;

  beforeAll(async () => {
    ensureRendererBuilt();
    // One worker, saved as a setting (an environment variable would pin it against the screen's changes).
    quireCli(['config', 'set', 'concurrent_ocr_jobs', '1'], dataDir);
    served = await serve(dataDir, [], { OCR_CONCURRENT_JOBS: '' }, { scripted: true });
    browser = await launch();
    page = await browser.context.newPage();
    await page.goto(served.openUrl);
    await page.click('[data-testid=nav-settings]');
    await page.waitForSelector('[data-testid=set-ocr_timeout_seconds]');
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('each field says when a change applies; what only the environment sets says it needs a restart', async () => {
    expect(await page.textContent('[data-testid=set-ocr_languages-applies]')).toBe(
      ' A running Quire applies it from the next file (within 5 seconds); files being read finish as they started.',
    );
    expect(await page.textContent('[data-testid=set-worker_recycle_jobs-applies]')).toContain('from the next file');
    expect(await page.$('[data-testid=set-ocr_timeout_seconds-applies]')).toBeNull(); // at once: nothing to wait for
    expect(await page.textContent('[data-testid=settings-restart-only]')).toContain('restart Quire to change them');
    expect(await page.textContent('#set-queue_batch_size-help')).toContain('read when Quire starts');
    await screenshot(page, 'settings-applies');
  });

  it('a page time limit lowered in Settings stops the file being read now; concurrency above the cores is capped and said', async () => {
    const stuck = join(dataDir, 'stuck.png');
    writeFileSync(stuck, 'name stuck.png\nhang\n');
    quireCli(['ingest', stuck], dataDir);
    const store = openStore(dataDir);
    try {
      await expect.poll(async () => (await store.stats()).processing, { timeout: 30_000 }).toBe(1);
      await page.fill('[data-testid=set-ocr_timeout_seconds]', '5');
      await page.fill('[data-testid=set-concurrent_ocr_jobs]', String(CORES + 1));
      await page.click('[data-testid=settings-save]');
      await page.waitForSelector('.notice:text("Settings saved.")');
      const notice = await page.textContent('.notice');
      expect(notice).toContain(`Files read at once (OCR workers): Capped at ${CORES} OCR worker`);
      expect(notice).toContain(`(asked for ${CORES + 1})`);
      expect(notice).toContain('Files read at once (OCR workers), Time limit for one page: a running Quire applies this at once.');
      expect(await page.textContent('[data-testid=set-concurrent_ocr_jobs-capped]')).toContain(`Capped at ${CORES}`);
      // Every attempt hangs past 5 s: the file ends failed as timeout, with no restart of quire serve.
      await expect
        .poll(async () => JSON.parse(quireCli(['failures', '--json'], dataDir)).map((f: { path: string; kind: string }) => [f.path, f.kind]), { timeout: 90_000 })
        .toEqual([[stuck, 'timeout']]);
      expect(served.proc.exitCode).toBe(null);
    } finally {
      await store.close();
    }
  });
});
