/**
 * The local server's access token, kept per data folder (<data>/serve-token, readable by its
 * owner only), so a restarted `quire serve` answers to the same URL and bookmarks keep working.
 * `quire serve --new-token` replaces it: every URL given out before stops working.
 */
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newToken } from './security';

export const TOKEN_FILE = 'serve-token';

/** The data folder's token; a new one when asked, or when there is none (or it is not one of ours). */
export function serveToken(dataDir: string, o: { renew?: boolean } = {}): string {
  const file = join(dataDir, TOKEN_FILE);
  if (!o.renew) {
    try {
      const t = readFileSync(file, 'latin1').trim();
      if (/^[A-Za-z0-9_-]{32,}$/.test(t)) return t;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  const token = newToken();
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, token + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600); // the mode above is masked by the umask
  renameSync(tmp, file);
  return token;
}
