/**
 * The local server's gate, tested with real HTTP requests to a real server on 127.0.0.1 over a
 * real SQLite data folder: token (401), Host and Origin (403), POST-only state changes, no path
 * traversal, the seed's routes, and the event stream.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers';
import type { Quire } from '../core/app';
import { type Host, openHost } from '../core/host';
import { HANDLER_NAMES } from '../ipc/contract';
import { type RunningServer, startServer } from './server';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function http(
  server: RunningServer,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; token?: boolean; firstChunkOnly?: boolean } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...(opts.token ? { 'x-quire-token': server.token } : {}), ...opts.headers };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: opts.method ?? 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
        // Event streams never end: take what arrived with the first events and hang up.
        if (opts.firstChunkOnly && body.includes('event: statsChanged')) {
          resolve({ status: res.statusCode!, headers: res.headers, body });
          req.destroy();
        }
      });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const json = { 'content-type': 'application/json' };

describe('quire serve over HTTP', () => {
  const dataDir = tempDir('quire-serve-');
  const renderer = tempDir('quire-renderer-');
  let quire: Quire;
  let host: Host;
  let server: RunningServer;

  beforeAll(async () => {
    // A stand-in for out/renderer, with a secret beside it that must never be served.
    const root = join(renderer, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Quire</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(renderer, 'secret.txt'), 'TOP-SECRET');
    host = await openHost({ dataDir, env: {}, live: { intervalMs: 50 } });
    quire = host.quire;
    await quire.store.enqueueBatch(
      ['/s/a.png', '/s/b.png', '/s/c.png'].map((path) => ({ path, size: 10, mtimeMs: 1, kind: 'image/png' })),
    );
    for (const kind of ['corrupt_file', 'file_missing'] as const) {
      const c = (await quire.store.claim('w'))!;
      await quire.store.fail(c.jobId, 'w', { kind, message: `${kind} happened` });
    }
    server = await startServer({ host, logger: quire.logger, port: 0, rendererDir: root });
  });

  afterAll(async () => {
    await server?.close();
    await host?.close();
  });

  it('binds 127.0.0.1 and prints a URL carrying the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    // In the fragment: browsers never send it to any server, this one or another.
    expect(server.openUrl).toBe(`${server.url}#token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
    expect((server.server.address() as { address: string }).address).toBe('127.0.0.1');
  });

  it('answers 401 to every API route without the token; serves the page and its assets, which hold no data, without it', async () => {
    for (const path of ['/api/queue/stats', '/api/events', '/api/nope']) {
      const r = await http(server, path);
      expect(r.status, path).toBe(401);
      expect(r.body, path).not.toContain('pending');
    }
    for (const path of ['/api/rpc/stats', '/api/rpc/pause', '/api/queue/requeue-failed']) {
      expect((await http(server, path, { method: 'POST', headers: json, body: '{}' })).status, path).toBe(401);
    }
    expect((await http(server, '/api/queue/stats', { headers: { 'x-quire-token': 'wrong' } })).status).toBe(401);
    expect((await http(server, '/api/queue/stats', { headers: { authorization: `Bearer ${server.token}x` } })).status).toBe(401);
    expect(await quire.store.isPaused()).toBe(false);
    for (const path of ['/', '/index.html', '/assets/app.js']) expect((await http(server, path)).status, path).toBe(200);
    expect((await http(server, '/nope')).status).toBe(404);
    const page = await http(server, '/');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
  });

  it('never sets a cookie, and takes the token from no cookie and no query string', async () => {
    const replies = [
      await http(server, '/'),
      await http(server, `/?token=${server.token}`),
      await http(server, '/api/queue/stats', { token: true }),
      await http(server, '/api/rpc/stats', { method: 'POST', token: true }),
    ];
    for (const r of replies) expect(r.headers['set-cookie']).toBeUndefined();
    // The cookie the server used to set (browsers sent it to every port of 127.0.0.1).
    expect((await http(server, '/api/queue/stats', { headers: { cookie: `quire_token_${server.port}=${server.token}` } })).status).toBe(401);
    expect((await http(server, `/api/queue/stats?token=${server.token}`)).status).toBe(401);
  });

  it('shows a person who opens an API link without the token a page saying what to do; a script gets one line', async () => {
    const nav = await http(server, '/api/queue/stats', { headers: { 'sec-fetch-mode': 'navigate', accept: 'text/html,application/xhtml+xml' } });
    expect(nav.status).toBe(401);
    expect(nav.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(nav.body).toContain('<h1>Quire needs its access token</h1>');
    expect(nav.body).toContain('quire serve --new-token');
    expect(nav.body).not.toContain('<script');
    expect(nav.headers['content-security-policy']).toContain("default-src 'none'");
    const script = await http(server, '/api/queue/stats');
    expect(script.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(script.body).toContain('X-Quire-Token');
  });

  it('serves the seed stats JSON with the token', async () => {
    const r = await http(server, '/api/queue/stats', { token: true });
    expect(r.status).toBe(200);
    const s = JSON.parse(r.body) as Record<string, unknown>;
    for (const key of ['pending', 'processing', 'failed', 'completed_today', 'avg_wait_time_minutes', 'oldest_pending_minutes']) {
      expect(typeof s[key], key).toBe('number');
    }
    expect(s).toMatchObject({ pending: 1, failed: 2, processing: 0 });
    const bearer = await http(server, '/api/queue/stats', { headers: { authorization: `Bearer ${server.token}` } });
    expect(bearer.status).toBe(200);
  });

  it('answers 403 to a Host that is not this server (DNS rebinding), even with the token', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, `localhost.evil.example:${server.port}`]) {
      const r = await http(server, '/api/queue/stats', { token: true, headers: { host } });
      expect(r.status, host).toBe(403);
    }
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`]) {
      expect((await http(server, '/api/queue/stats', { token: true, headers: { host } })).status, host).toBe(200);
    }
  });

  it('answers 403 to cross-site requests (Origin, Sec-Fetch-Site), even with the token', async () => {
    const cross = await http(server, '/api/rpc/pause', {
      method: 'POST',
      token: true,
      headers: { ...json, origin: 'http://evil.example' },
      body: '{}',
    });
    expect(cross.status).toBe(403);
    const otherPort = await http(server, '/api/queue/stats', { token: true, headers: { origin: `http://127.0.0.1:${server.port + 1}` } });
    expect(otherPort.status).toBe(403);
    const site = await http(server, '/api/queue/stats', { token: true, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(site.status).toBe(403);
    expect(await quire.store.isPaused()).toBe(false);
    const same = await http(server, '/api/queue/stats', { token: true, headers: { origin: `http://127.0.0.1:${server.port}`, 'sec-fetch-site': 'same-origin' } });
    expect(same.status).toBe(200);
  });

  it('changes state only by POST with the token, and only with a JSON body', async () => {
    expect((await http(server, '/api/rpc/pause', { token: true })).status).toBe(405);
    expect((await http(server, '/api/queue/requeue-failed', { token: true })).status).toBe(405);
    const form = await http(server, '/api/rpc/pause', { method: 'POST', token: true, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(form.status).toBe(415);
    expect(await quire.store.isPaused()).toBe(false);
    const ok = await http(server, '/api/rpc/pause', { method: 'POST', token: true, headers: json, body: '' });
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { paused: true } });
    expect(await quire.store.isPaused()).toBe(true);
    await http(server, '/api/rpc/resume', { method: 'POST', token: true });
    expect(await quire.store.isPaused()).toBe(false);
  });

  it('returns errors as data with a sentence, and 404 for unknown calls', async () => {
    const bad = await http(server, '/api/rpc/listJobs', { method: 'POST', token: true, headers: json, body: '{"status":"exploded"}' });
    expect(bad.status).toBe(200);
    expect(JSON.parse(bad.body)).toEqual({
      ok: false,
      error: { name: 'QuireError', kind: 'invalid_argument', message: '"status" must be one of: pending, processing, completed, failed, cancelled.' },
    });
    const missing = await http(server, '/api/rpc/dropTables', { method: 'POST', token: true });
    expect(missing.status).toBe(404);
    const notJson = await http(server, '/api/rpc/stats', { method: 'POST', token: true, headers: json, body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/..%5csecret.txt', '/assets/%00.js', '/.%2e/secret.txt']) {
      const r = await http(server, path, { token: true });
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('TOP-SECRET');
    }
    expect((await http(server, '/assets/app.js', { token: true })).status).toBe(200);
  });

  it('streams events to a client with the token', async () => {
    const r = await http(server, '/api/events', { token: true, firstChunkOnly: true });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('text/event-stream');
    expect(r.body).toMatch(/event: statsChanged\ndata: \{.*"pending":1/);
  });

  it('requeues failed jobs through the seed route and answers the count of those it requeued', async () => {
    // Both failures are "fix the file" kinds whose files have not changed (they are not even there):
    // requeueing them would only fail them again, so none goes back and the answer says 0.
    const r = await http(server, '/api/queue/requeue-failed', { method: 'POST', token: true });
    expect(JSON.parse(r.body)).toEqual({ requeued: 0 });
    expect((await quire.store.stats()).failed).toBe(2);
  });

  it('serves every handler of the contract over HTTP', async () => {
    for (const name of HANDLER_NAMES) {
      const r = await http(server, `/api/rpc/${name}`, { method: 'POST', token: true, headers: json, body: '{}' });
      expect(r.status, name).toBe(200);
      const result = JSON.parse(r.body) as { ok: boolean; error?: { kind: string } };
      // Called with no arguments some handlers refuse (bad argument / no watcher / no worker pool on this host); none is unknown.
      if (!result.ok) expect(['invalid_argument', 'watcher_unavailable', 'no_worker'], name).toContain(result.error!.kind);
    }
  });
});
