/**
 * The page a person sees when a link to Quire's API is opened without the token: what happened and
 * what to do, styled like the app (light and dark). It has no script; its own CSP allows only its
 * inline style.
 */
import type { ServerResponse } from 'node:http';

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Quire: open the address quire serve printed</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; display: grid; place-items: center; min-height: 100vh; background: Canvas; color: CanvasText; }
  main { max-width: 36rem; padding: 2rem; border: 1px solid color-mix(in srgb, CanvasText 20%, transparent); border-radius: 12px; }
  h1 { font-size: 1.3rem; margin-top: 0; }
  code { font-size: 0.95em; background: color-mix(in srgb, CanvasText 8%, transparent); padding: 0.1em 0.3em; border-radius: 4px; }
</style>
</head>
<body>
<main>
<h1>Quire needs its access token</h1>
<p>This address does not carry the token that lets a browser use this Quire server.</p>
<p>Open the address <code>quire serve</code> printed in its terminal: it ends with <code>#token=</code> and a long code.
The token stays the same for this data folder, so a bookmark of that address keeps working.</p>
<p>Lost it? Run <code>quire serve</code> again to see it, or <code>quire serve --new-token</code> to replace it
(every address given out before then stops working).</p>
</main>
</body>
</html>
`;

export function unauthorizedPage(res: ServerResponse): void {
  res.statusCode = 401;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  res.end(PAGE);
}
