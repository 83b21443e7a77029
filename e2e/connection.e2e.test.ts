/**
 * Losing the server, in Chromium: with the way to `quire serve` cut (a proxy that drops every
 * connection, as a stopped server or a lost network does), every screen says the connection is
 * lost and the Dashboard stops claiming "Running"; when the server answers again the page
 * reconnects by itself and shows fresh numbers. A server restarted with a new token (`quire serve
 * --new-token`) is told apart from one that is gone, and opening its new address brings the page back.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt, launch, quireCli, REPO, screenshot, serve, type Served, tempData } from './harness';
import { type Proxy, startProxy } from './proxy';

describe('the connection-lost banner', { timeout: 120_000 }, () => {
  const dataDir = tempData('quire-e2e-conn-');
  let served: Served;
  let proxy: Proxy;
  let browser: Awaited<ReturnType<typeof launch>>;
  let page: Page;

  beforeAll(async () => {
    ensureRendererBuilt();
    // Paused, so the numbers change only when this test says.
    quireCli(['pause'], dataDir);
    served = await serve(dataDir, ['--no-workers']);
    proxy = await startProxy(served.port);
    browser = await launch();
    page = await browser.context.newPage();
    await page.goto(`${proxy.url}#token=${served.token}`);
    await page.waitForSelector('[data-testid=stat-pending][data-value="0"]');
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await served?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says the connection is lost on every screen, stops saying Paused or Running, and reconnects by itself with fresh numbers', async () => {
    await page.waitForSelector('[data-testid=queue-state]:text("Paused")');
    await proxy.cut();
    await page.waitForSelector('[data-testid=connection-lost]', { timeout: 15_000 });
    expect(await page.textContent('[data-testid=queue-state]')).toBe('Disconnected');
    expect(await page.title()).toMatch(/^Disconnected · /);
    await screenshot(page, 'connection-lost');
    // Another screen says it too.
    await page.click('[data-testid=nav-jobs]');
    await page.waitForSelector('#jobs-title');
    expect(await page.locator('[data-testid=connection-lost]').count()).toBe(1);
    await page.click('[data-testid=nav-dashboard]');

    // While the page cannot see it, files are added: the numbers on screen are now stale.
    quireCli(['ingest', join(REPO, 'test', 'fixtures', 'ui')], dataDir);
    await proxy.restore();
    await page.waitForSelector('[data-testid=connection-lost]', { state: 'detached', timeout: 20_000 });
    await page.waitForSelector('[data-testid=stat-pending][data-value="1"]', { timeout: 10_000 });
    expect(await page.textContent('[data-testid=queue-state]')).toBe('Paused');
  });

  it('tells a server restarted with a new token from a lost one, and comes back once its new address is opened in the tab', async () => {
    await served.stop();
    const old = served.token;
    served = await serve(dataDir, ['--no-workers', '--new-token']);
    expect(served.token).not.toBe(old);
    proxy.retarget(served.port);
    await page.waitForSelector('[data-testid=connection-unauthorized]', { timeout: 20_000 });
    expect(await page.textContent('[data-testid=connection-unauthorized]')).toContain('--new-token');
    // The same tab, the new printed address: no reload needed, the fragment carries the token.
    await page.goto(`${proxy.url}#token=${served.token}`);
    await page.waitForSelector('[data-testid=stat-pending][data-value="1"]');
    // The banner goes once the event stream is back (the numbers may come first, by a plain call).
    await page.waitForSelector('[data-testid=connection-unauthorized]', { state: 'detached', timeout: 20_000 });
  });
});
