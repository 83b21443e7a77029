/**
 * Files Quire does not read, in a real Chromium against `quire serve` (scripted engine, no
 * workers needed): added from the Add files screen, they are named on the Failures screen,
 * counted by reason; converted and added again, they leave the list (issue 13 item 2).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SKIP_REASON_TEXT } from '../src/shared/skipped';
import { ensureRendererBuilt, launch, screenshot, serve, type Served, tempData } from './harness';

describe('the Failures screen names the files Quire does not read', { timeout: 120_000 }, () => {
  let served: Served;
  let browser: Awaited<ReturnType<typeof launch>>;
  let page: Page;
  const dataDir = tempData();
  const scans = join(dataDir, 'scans');

  beforeAll(async () => {
    ensureRendererBuilt();
    mkdirSync(join(scans, 'deep'), { recursive: true });
    writeFileSync(join(scans, 'a.png'), 'name a.png\ntext alpha\n');
    writeFileSync(join(scans, 'notes.txt'), 'not a scan');
    writeFileSync(join(scans, 'deep', 'photo.xyz'), 'who knows');
    execFileSync('mkfifo', [join(scans, 'deep', 'pipe.png')]);
    served = await serve(dataDir, ['--no-workers'], {}, { scripted: true });
    browser = await launch();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const addFromUi = async (path: string) => {
    await page.click('[data-testid=nav-ingest]');
    await page.fill('[data-testid=ingest-paths]', path);
    await page.click('[data-testid=ingest-submit]');
    await page.waitForSelector('[data-testid=ingest-result]');
  };

  it('lists them by reason with their names after the folder is added', async () => {
    await page.goto(served.openUrl);
    await addFromUi(scans);
    expect(await page.textContent('[data-testid=ingest-not-read]')).toBe(
      '3 files found that Quire does not read (2 not a format Quire reads, 1 not a regular file): see them under Failures.',
    );
    await page.click('[data-testid=ingest-not-read] a');
    await page.waitForSelector('[data-testid=not-read-unsupported_format]');
    expect(await page.textContent('[data-testid=not-read-total]')).toContain('3 files found under the added paths and watched folders that Quire does not read');
    const unsupported = page.locator('[data-testid=not-read-unsupported_format]');
    expect(await unsupported.locator('[data-testid=not-read-count]').textContent()).toBe('2');
    expect(await unsupported.textContent()).toContain(SKIP_REASON_TEXT.unsupported_format);
    expect(await unsupported.textContent()).toContain(`${join(scans, 'notes.txt')} — not an image or PDF Quire reads (.txt file)`);
    expect(await unsupported.textContent()).toContain(`${join(scans, 'deep', 'photo.xyz')} — not an image or PDF Quire reads (.xyz file)`);
    const fifo = page.locator('[data-testid=not-read-not_a_file]');
    expect(await fifo.locator('[data-testid=not-read-count]').textContent()).toBe('1');
    expect(await fifo.textContent()).toContain(join(scans, 'deep', 'pipe.png'));
    await screenshot(page, 'failures-not-read');
  });

  it('drops a file from the list once it is converted and added again', async () => {
    rmSync(join(scans, 'notes.txt'));
    renameSync(join(scans, 'deep', 'photo.xyz'), join(scans, 'deep', 'photo.png'));
    await addFromUi(scans);
    await page.click('[data-testid=nav-failures]');
    await page.waitForSelector('[data-testid=not-read-total]:text("1 file found")');
    expect(await page.locator('[data-testid=not-read-unsupported_format]').count()).toBe(0);
    expect(await page.textContent('[data-testid=not-read]')).toContain(join(scans, 'deep', 'pipe.png'));
  });
});
