/**
 * The local server's gatekeeping. Anyone on this machine (and any web page the user opens) can
 * reach a port on 127.0.0.1, so:
 * - every API request needs the token, in an `X-Quire-Token` (or `Authorization: Bearer`) header,
 *   and nowhere else. Never a cookie: browsers do not scope cookies by port, so a cookie set by
 *   this server went with every request the browser made to any other service on 127.0.0.1
 *   (another user's process on a shared machine could read it and use the queue). The page gets
 *   the token from the URL's fragment (#token=..., which browsers never send to a server), keeps
 *   it in sessionStorage (this origin, this port, this tab only) and sends the header itself;
 * - the page and its assets (no data in them) are served without it, so the page can start;
 * - the Host header must name this server, so a DNS-rebinding page (evil.example resolving to
 *   127.0.0.1) gets 403 even though its requests arrive here;
 * - a browser's Origin / Sec-Fetch-Site must be this server, so cross-site requests get 403.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase()) || host.startsWith('127.');
}

export interface Gate {
  token: string;
  port: number;
  /** The --host the server was bound to. */
  bindHost: string;
}

/** Host names (with port) this server answers to. */
export function allowedHosts(g: Gate): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (!isLoopback(g.bindHost) && g.bindHost !== '0.0.0.0' && g.bindHost !== '::') {
    names.add(g.bindHost.includes(':') ? `[${g.bindHost}]` : g.bindHost.toLowerCase());
  }
  return new Set([...names].map((n) => `${n}:${g.port}`));
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

/** Host and Origin: 403 when the request does not come to, or from, this server. */
export function checkSite(req: IncomingMessage, g: Gate): Verdict {
  const host = (req.headers.host ?? '').toLowerCase();
  const wildcard = g.bindHost === '0.0.0.0' || g.bindHost === '::';
  if (!wildcard && !allowedHosts(g).has(host)) {
    return { ok: false, status: 403, message: 'This Quire server does not answer to that host name.' };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    return { ok: false, status: 403, message: 'Requests from other sites are refused.' };
  }
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') {
    return { ok: false, status: 403, message: 'Requests from other sites are refused.' };
  }
  return { ok: true };
}

/** The token from its header (a cookie or the query string is never read). */
export function hasToken(req: IncomingMessage, g: Gate): boolean {
  const auth = req.headers.authorization;
  const candidates = [
    typeof req.headers['x-quire-token'] === 'string' ? req.headers['x-quire-token'] : undefined,
    auth?.startsWith('Bearer ') ? auth.slice(7) : undefined,
  ];
  return candidates.some((c) => c !== undefined && sameToken(c, g.token));
}
