/**
 * Serving the built renderer (out/renderer). Only files under the root are ever read: the URL
 * path is decoded, normalised and checked to stay inside it, and dot-files are refused.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webp': 'image/webp',
};

/** The file for a URL path, or null when it would leave the root (or is not a plain name). */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.split('/').some((seg) => seg.startsWith('.'))) return null;
  const rel = normalize(decoded === '/' ? '/index.html' : decoded);
  const base = resolve(root);
  const file = resolve(base, '.' + rel);
  if (file !== base && !file.startsWith(base + sep)) return null;
  return file;
}

export async function serveStatic(root: string, urlPath: string, res: ServerResponse, headOnly: boolean, csp: string): Promise<boolean> {
  const file = resolveStatic(root, urlPath);
  if (!file) return false;
  const st = await stat(file).catch(() => null);
  if (!st?.isFile()) return false;
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  res.statusCode = 200;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', st.size);
  // Hashed asset names can be cached; the page itself always revalidates.
  res.setHeader('Cache-Control', file.endsWith('.html') ? 'no-store' : 'private, max-age=3600');
  if (type.startsWith('text/html')) res.setHeader('Content-Security-Policy', csp);
  if (headOnly) {
    res.end();
    return true;
  }
  await new Promise<void>((done, fail) => {
    createReadStream(file).on('error', fail).pipe(res).on('finish', done).on('close', done);
  });
  return true;
}
