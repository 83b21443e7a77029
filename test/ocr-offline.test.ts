/**
 * OCR never uses the network. The engine runs in a child process where every outbound connection
 * and name lookup throws (block-network.cjs, preloaded into the process and its worker threads).
 * The control case shows the blocker is effective where tesseract.js actually runs: without
 * langPath tesseract.js tries its CDN from its worker thread, and that attempt is caught.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers';

const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--require', join(REPO_ROOT, 'test/offline/block-network.cjs'), '--import', 'tsx', join(REPO_ROOT, 'test/offline/ocr-child.ts'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('OCR offline', () => {
  it('recognises text with every outbound connection refused', () => {
    const r = run('ocr', join(REPO_ROOT, 'test/fixtures/ocr/tessjs-simple-png.png'));
    expect(r.stderr).toContain('BLOCKER ACTIVE in main thread');
    expect(r.stderr).toContain('BLOCKER ACTIVE in worker thread');
    expect(r.stderr).not.toContain('NETWORK ATTEMPT');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop() as string)).toEqual({ text: 'Tesseract.js' });
  });

  it('control: the blocker catches tesseract.js reaching for its CDN', () => {
    const r = run('cdn');
    expect(r.stderr).toMatch(/NETWORK ATTEMPT: .* \(worker thread\)/);
    expect(JSON.parse(r.stdout.trim().split('\n').pop() as string).outcome).not.toBe('started');
  });
});
