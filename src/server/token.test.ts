import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers';
import { serveToken, TOKEN_FILE } from './token';

describe('the access token of a data folder', () => {
  it('is kept across restarts, readable by its owner only, and replaced on request', () => {
    const dir = tempDir();
    const first = serveToken(dir);
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(serveToken(dir)).toBe(first);
    expect(statSync(join(dir, TOKEN_FILE)).mode & 0o777).toBe(0o600);
    const renewed = serveToken(dir, { renew: true });
    expect(renewed).not.toBe(first);
    expect(serveToken(dir)).toBe(renewed);
    expect(readFileSync(join(dir, TOKEN_FILE), 'latin1').trim()).toBe(renewed);
  });

  it('makes a new one when the file holds something else', () => {
    const dir = tempDir();
    writeFileSync(join(dir, TOKEN_FILE), 'short\n');
    expect(serveToken(dir)).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
