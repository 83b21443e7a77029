import { afterEach, describe, expect, it, vi } from 'vitest';

// window.ts imports electron's BrowserWindow and session; rendererUrl() uses neither.
vi.mock('electron', () => ({ BrowserWindow: class {}, session: {} }));
const { rendererUrl } = await import('./window');

describe('rendererUrl in development (ELECTRON_RENDERER_URL)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('accepts pages of the dev server origin only, not a host name that merely starts the same', () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173');
    const { url, isOurUrl } = rendererUrl();
    expect(url).toBe('http://localhost:5173');
    expect(isOurUrl('http://localhost:5173/')).toBe(true);
    expect(isOurUrl('http://localhost:5173/#/jobs')).toBe(true);
    expect(isOurUrl('http://localhost:5173.evil.example/')).toBe(false);
    expect(isOurUrl('http://localhost:51730/')).toBe(false);
    expect(isOurUrl('https://localhost:5173/')).toBe(false);
    expect(isOurUrl('not a url')).toBe(false);
  });
});
