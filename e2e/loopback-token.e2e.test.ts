/**
 * No credential reaches another service on 127.0.0.1 (issue 17, item 6). Browsers do not scope
 * cookies by port: the cookie quire serve used to set went with every request the browser made
 * to any other loopback port, so any local process could take it and use the queue. Here a second
 * HTTP server on another port records every request the browser sends it after the user has
 * opened and used Quire (a page of its own that fetches, loads an image and reads
 * document.cookie): it must get nothing usable. Also: the token is the data folder's (the same
 * address works after a restart), --new-token replaces it.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt, launch, serve, type Served, tempData } from './harness';

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

/** The other local service: records every request; its page probes with the browser's credentials. */
async function recorder(): Promise<{ server: Server; origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const page = `<!doctype html><title>another local service</title>
<script>
  fetch('/probe', { credentials: 'include' });
  new Image().src = '/pixel.png';
  fetch('/cookie?value=' + encodeURIComponent(document.cookie), { credentials: 'include' });
</script>`;
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.setHeader('Content-Type', req.url === '/' ? 'text/html' : 'text/plain');
    res.end(req.url === '/' ? page : 'ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('the access token and other services on 127.0.0.1', { timeout: 120_000 }, () => {
  let served: Served;
  let browser: Awaited<ReturnType<typeof launch>>;
  let page: Page;
  let other: Awaited<ReturnType<typeof recorder>>;
  const dataDir = tempData();
  const quireRequests: Seen[] = [];

  beforeAll(async () => {
    ensureRendererBuilt();
    served = await serve(dataDir, ['--no-workers']);
    other = await recorder();
    browser = await launch();
    page = await browser.context.newPage();
    page.on('request', (r) => {
      if (r.url().startsWith(served.url)) quireRequests.push({ url: r.url(), headers: r.headers() });
    });
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await new Promise((r) => other?.server.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('after the user opened Quire, a page on another loopback port receives nothing usable', async () => {
    await page.goto(served.openUrl);
    await page.waitForSelector('[data-testid=stat-pending]');
    expect(page.url()).toBe(served.url); // the token left the address bar
    await page.click('[data-testid=nav-jobs]');
    await page.click('[data-testid=nav-dashboard]');

    // The user (or a link) then visits the other service, in the same tab and in a new one.
    await page.goto(`${other.origin}/`);
    const second = await browser.context.newPage();
    await second.goto(`${other.origin}/`);
    await expect.poll(() => other.seen.filter((s) => s.url.startsWith('/cookie')).length).toBe(2);
    await expect.poll(() => other.seen.filter((s) => s.url === '/pixel.png').length).toBe(2);

    const everything = JSON.stringify(other.seen);
    expect(everything).not.toContain(served.token);
    expect(other.seen.map((s) => s.headers.cookie)).toEqual(other.seen.map(() => undefined));
    expect(other.seen.filter((s) => s.url.startsWith('/cookie')).map((s) => s.url)).toEqual(['/cookie?value=', '/cookie?value=']);
    await second.close();

    // And what went to Quire itself: the token only ever in its header, never in a URL or a cookie.
    expect(quireRequests.some((r) => r.headers['x-quire-token'] === served.token)).toBe(true);
    for (const r of quireRequests) {
      expect(r.url, r.url).not.toContain(served.token);
      expect(r.headers.cookie, r.url).toBeUndefined();
    }
    expect(await browser.context.cookies()).toEqual([]);
  });

  it('the same address works after a restart (the token is the data folder\'s); --new-token replaces it', async () => {
    const before = served.token;
    await served.stop();
    served = await serve(dataDir, ['--no-workers']);
    expect(served.token).toBe(before);
    await page.goto(served.openUrl);
    await page.waitForSelector('[data-testid=stat-pending]');

    await served.stop();
    served = await serve(dataDir, ['--no-workers', '--new-token']);
    expect(served.token).not.toBe(before);
    const stats = (token: string) => fetch(`${served.url}api/queue/stats`, { headers: { 'X-Quire-Token': token } }).then((r) => r.status);
    expect(await stats(before)).toBe(401);
    expect(await stats(served.token)).toBe(200);
  });
});
