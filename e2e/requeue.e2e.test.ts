/**
 * Issue 13 in a real browser against `quire serve` (scripted engine): cancelled files are requeued
 * from the Jobs screen (one, and all) and come back when their folder is added again; the
 * Failures screen offers per kind what can help, says what it did and what it left, dismisses;
 * a document is removed from Quire from the job details without touching the file.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteJobStore } from '../src/core/store/sqlite/store';
import { writeScripts } from '../test/pool/cli-helpers';
import { ensureRendererBuilt, launch, openStore, quireCli, screenshot, serve, type Served, tempData } from './harness';

const WAIT = { timeout: 60_000 };

describe('requeue, dismiss and remove in the UI', { timeout: 180_000 }, () => {
  let served: Served;
  let browser: Awaited<ReturnType<typeof launch>>;
  let page: Page;
  let store: SqliteJobStore;
  const dataDir = tempData('quire-e2e-requeue-');
  const scans = join(dataDir, 'scans');
  const status = async (name: string) => (await store.getDocumentByPath(join(scans, name)))?.ocrStatus;

  beforeAll(async () => {
    ensureRendererBuilt();
    writeScripts(scans, { 'a.png': 'text alpha', 'b.png': 'text bravo' });
    // Cancelled before any worker saw them.
    quireCli(['pause'], dataDir);
    quireCli(['ingest', scans], dataDir);
    quireCli(['cancel', '--all-pending'], dataDir);
    quireCli(['resume'], dataDir);
    served = await serve(dataDir, [], { QUIRE_TEST_ENGINE: 'scripted', QUIRE_TEST_BACKOFF_MS: '20', OCR_CONCURRENT_JOBS: '2' }, { scripted: true });
    store = openStore(dataDir);
    browser = await launch();
    page = await browser.context.newPage();
    await page.goto(served.openUrl);
    await page.waitForSelector('[data-testid=stat-pending]');
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('requeues one cancelled job and then all of them from the Jobs screen; the status reads "Cancelled" once', async () => {
    await page.goto(`${served.url}#/jobs?status=cancelled`);
    await page.waitForSelector('[data-testid=jobs-count]:text("2 jobs shown")');
    expect(await page.locator('[data-testid=job-status] .line1').allTextContents()).toEqual(['Cancelled', 'Cancelled']);
    expect(await page.locator('[data-testid=job-kind]').allTextContents()).toEqual(['', '']);
    await page.getByRole('button', { name: 'Requeue a.png', exact: true }).click();
    await page.waitForSelector('[role=status]:text("Requeued a.png.")');
    await expect.poll(() => status('a.png'), WAIT).toBe('completed');
    await screenshot(page, 'jobs-cancelled');
    await page.click('[data-testid=requeue-cancelled]');
    await page.waitForSelector('[role=status]:text("Cancelled jobs: 1 requeued.")');
    await expect.poll(() => status('b.png'), WAIT).toBe('completed');
  });

  it('Add files brings a cancelled file back and says so', async () => {
    writeScripts(scans, { 'c.png': 'text charlie' });
    quireCli(['pause'], dataDir);
    quireCli(['ingest', scans], dataDir);
    quireCli(['cancel', '--all-pending'], dataDir);
    quireCli(['resume'], dataDir);
    expect(await status('c.png')).toBe('cancelled');
    await page.click('[data-testid=nav-ingest]');
    await page.fill('[data-testid=ingest-paths]', scans);
    await page.click('[data-testid=ingest-submit]');
    await page.waitForSelector('[data-testid=ingest-requeued]');
    expect(await page.textContent('[data-testid=ingest-requeued]')).toBe('1');
    await expect.poll(() => status('c.png'), WAIT).toBe('completed');
  });

  it('offers per kind what can help, says what it left and why, requeues anyway on request, and dismisses', async () => {
    writeScripts(scans, { 'broken.png': 'fail corrupt_file', 'slow.png': 'fail timeout' });
    quireCli(['ingest', scans], dataDir);
    await expect.poll(async () => [await status('broken.png'), await status('slow.png')], WAIT).toEqual(['failed', 'failed']);
    await page.click('[data-testid=nav-failures]');
    const corrupt = page.locator('[data-testid=group-corrupt_file]');
    const timeout = page.locator('[data-testid=group-timeout]');
    await corrupt.waitFor();
    await timeout.waitFor();
    expect(await page.textContent('[data-testid=failures-total]')).toBe('2 failed files');
    // A file to fix is not offered a plain requeue of the group; a timeout is.
    expect(await corrupt.locator('[data-testid=requeue-group]').count()).toBe(0);
    expect(await timeout.locator('[data-testid=requeue-changed]').count()).toBe(0);
    await screenshot(page, 'failures-kinds');

    const failedAt = (await store.getJob((await store.listFailures()).find((f) => f.kind === 'corrupt_file')!.jobId))!.completedAt!;
    await corrupt.locator('[data-testid=requeue-changed]').click();
    await page.waitForSelector('[role=status]:text("0 requeued; 1 left as it is: the file has not changed since it failed (1 corrupt_file).")');
    expect(await status('broken.png')).toBe('failed');

    await timeout.locator('[data-testid=dismiss-group]').click();
    await page.waitForSelector('[role=status]:text("Dismissed 1 failure.")');
    await page.waitForSelector('[data-testid=failures-total]:text("1 failed file")');
    expect(await timeout.count()).toBe(0);
    expect(JSON.parse(quireCli(['stats', '--json'], dataDir)).failed).toBe(1);

    await corrupt.locator('[data-testid=requeue-anyway]').click();
    await page.waitForSelector('[role=status]:text("1 requeued.")');
    // Read again as it is, it fails again (a new failure).
    await expect.poll(async () => (await store.listFailures())[0]?.failedAt ?? 0, WAIT).toBeGreaterThan(failedAt);
  });

  it('removes a document from Quire in the job details; the file stays', async () => {
    await page.goto(`${served.url}#/jobs?path=a.png`);
    await page.waitForSelector('[data-testid=jobs-count]:text("1 job shown")');
    await page.getByRole('button', { name: 'Details a.png', exact: true }).click();
    await page.click('[data-testid=remove-document]');
    await page.waitForSelector(`[role=status]:text("Removed ${join(scans, 'a.png')} from Quire.")`);
    await page.waitForSelector('[data-testid=jobs-count]:text("0 jobs shown")');
    expect(await store.getDocumentByPath(join(scans, 'a.png'))).toBeNull();
    expect(existsSync(join(scans, 'a.png'))).toBe(true);
    expect((await store.search('alpha', 5)).length).toBe(0);

    // And from the document view.
    const b = (await store.getDocumentByPath(join(scans, 'b.png')))!;
    await page.goto(`${served.url}#/document/${encodeURIComponent(b.id)}`);
    await page.waitForSelector('[data-testid=doc-meta]');
    await page.click('[data-testid=remove-document]');
    await expect.poll(() => store.getDocumentByPath(join(scans, 'b.png')), WAIT).toBeNull();
    expect(existsSync(join(scans, 'b.png'))).toBe(true);
    // Added again, it is read again.
    quireCli(['ingest', scans], dataDir);
    await expect.poll(() => status('b.png'), WAIT).toBe('completed');
  });
});
