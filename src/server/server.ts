/**
 * `quire serve`: the API contract over HTTP (+ server-sent events) and the built renderer, so the
 * whole UI runs in a browser. Routes:
 *   GET  /api/queue/stats              the seed's stats JSON (and Quire's extra keys)
 *   POST /api/queue/requeue-failed     requeue every failed job; answers {"requeued": n}
 *   POST /api/rpc/<handler>            body: the handler's argument as JSON; answers a Result
 *   GET  /api/events                   server-sent events (see src/core/api/events.ts)
 *   GET  /*                            the renderer (out/renderer): no data, served without the token
 * Every /api/ route needs the token in a header; every route passes the Host/Origin checks (security.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dispatch } from '../core/api/dispatch';
import type { ApiSurface } from '../core/host';
import type { Logger } from '../core/logger';
import { checkSite, type Gate, hasToken, newToken } from './security';
import { unauthorizedPage } from './unauthorized';
import { serveStatic } from './static';

/** Same policy as the page's meta tag: nothing but this origin; no inline script or style. */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
  "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const MAX_BODY = 1024 * 1024;

export interface ServeOptions {
  host: ApiSurface;
  logger: Logger;
  port?: number;
  /** Address to bind; 127.0.0.1 unless told otherwise. */
  bindHost?: string;
  /** Folder of the built renderer (electron-vite's out/renderer). */
  rendererDir: string;
  token?: string;
}

export interface RunningServer {
  url: string;
  /** The URL to open: the token in its fragment, which the browser never sends to a server. */
  openUrl: string;
  token: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(message + '\n');
}

async function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; message: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return { ok: false, status: 413, message: 'The request body is larger than 1 MB.' };
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return { ok: true, value: undefined };
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    return { ok: false, status: 415, message: 'Send the request body as application/json.' };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, status: 400, message: 'The request body is not valid JSON.' };
  }
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const bindHost = opts.bindHost ?? '127.0.0.1';
  const token = opts.token ?? newToken();
  const log = opts.logger.scope('server');
  const { host } = opts;
  const gate: Gate = { token, port: 0, bindHost };
  const streams = new Set<ServerResponse>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    const site = checkSite(req, gate);
    if (!site.ok) return refuse(res, site.status, site.message);
    const url = new URL(req.url ?? '/', 'http://quire.invalid');
    const method = req.method ?? 'GET';

    // The page and its assets hold no data: anyone may load them. The page reads its token from
    // the URL's fragment and sends it with every API call (security.ts).
    if (!url.pathname.startsWith('/api/')) {
      if (method !== 'GET' && method !== 'HEAD') return refuse(res, 405, 'Use GET.');
      if (await serveStatic(opts.rendererDir, url.pathname, res, method === 'HEAD', CSP)) return;
      if (url.pathname === '/' || url.pathname === '/index.html') {
        return refuse(res, 503, `The UI is not built (no ${opts.rendererDir}/index.html). Run npm run build, then restart quire serve.`);
      }
      return refuse(res, 404, 'Not found.');
    }
    if (!hasToken(req, gate)) {
      // A person who followed a link gets a page saying what to do; a script, one line.
      if (req.headers['sec-fetch-mode'] === 'navigate' || (req.headers.accept ?? '').includes('text/html')) return unauthorizedPage(res);
      return refuse(res, 401, 'Quire needs its access token in an X-Quire-Token header: the one in the URL quire serve printed (after #token=).');
    }

    if (url.pathname === '/api/queue/stats') {
      if (method !== 'GET') return refuse(res, 405, 'Use GET.');
      return send(res, 200, await host.handlers.stats());
    }
    if (url.pathname === '/api/events') {
      if (method !== 'GET') return refuse(res, 405, 'Use GET.');
      return openStream(req, res);
    }
    // Everything else may change state: POST only, JSON only (a form post cannot send JSON).
    if (method !== 'POST') return refuse(res, 405, 'Use POST.');
    const body = await readJson(req);
    if (!body.ok) return send(res, body.status, { ok: false, error: { name: 'QuireError', message: body.message, kind: 'bad_request' } });
    if (url.pathname === '/api/queue/requeue-failed') {
      return send(res, 200, { requeued: (await host.handlers.requeueFailed()).requeued });
    }
    const m = /^\/api\/rpc\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) return refuse(res, 404, 'No such API route.');
    const result = await dispatch(host.handlers, m[1]!, body.value, log);
    return send(res, result.ok || result.error.kind !== 'unknown_call' ? 200 : 404, result);
  };

  const openStream = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': quire events\n\n');
    streams.add(res);
    const unsubscribe = host.subscribe((m) => {
      res.write(`event: ${m.event}\ndata: ${JSON.stringify(m.data)}\n\n`);
    });
    // Proxies and browsers drop silent streams; a comment every 20 s keeps it open.
    const keepAlive = setInterval(() => res.write(': ping\n\n'), 20_000);
    void host.handlers.stats().then((s) => res.write(`event: statsChanged\ndata: ${JSON.stringify(s)}\n\n`));
    req.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
      streams.delete(res);
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error('request failed', { url: req.url, error: String((err as Error)?.stack ?? err) });
      if (!res.headersSent) send(res, 500, { ok: false, error: { name: 'Error', message: 'Quire could not answer that request.', kind: 'internal' } });
      else res.end();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, bindHost, () => {
      server.off('error', fail);
      ok();
    });
  });
  const port = (server.address() as AddressInfo).port;
  gate.port = port;
  const shown = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  const url = `http://${shown}:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    token,
    port,
    server,
    async close() {
      for (const s of streams) s.end();
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      // server.close() waits for every open connection: a browser's keep-alive socket or an event
      // stream it reopened would hold the shutdown forever. Nothing more is served: drop them all.
      server.closeAllConnections();
      await closed;
    },
  };
}
