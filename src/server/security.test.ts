import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkSite } from './security';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('checkSite', () => {
  it('on loopback answers only to loopback names on its port (DNS rebinding), and refuses other sites', () => {
    const g = { token: 't', port: 7707, bindHost: '127.0.0.1' };
    expect(checkSite(req({ host: '127.0.0.1:7707' }), g)).toEqual({ ok: true });
    expect(checkSite(req({ host: 'localhost:7707', origin: 'http://localhost:7707' }), g)).toEqual({ ok: true });
    expect(checkSite(req({ host: 'evil.example:7707' }), g)).toMatchObject({ ok: false, status: 403 });
    expect(checkSite(req({ host: '127.0.0.1:7708' }), g)).toMatchObject({ ok: false, status: 403 });
    expect(checkSite(req({ host: '127.0.0.1:7707', origin: 'http://evil.example' }), g)).toMatchObject({ ok: false, status: 403 });
    expect(checkSite(req({ host: '127.0.0.1:7707', 'sec-fetch-site': 'cross-site' }), g)).toMatchObject({ ok: false, status: 403 });
  });

  it('bound to every interface (--host 0.0.0.0) takes any host name, but still refuses a foreign Origin', () => {
    const g = { token: 't', port: 7707, bindHost: '0.0.0.0' };
    expect(checkSite(req({ host: 'scanner-pc.local:7707' }), g)).toEqual({ ok: true });
    expect(checkSite(req({ host: 'scanner-pc.local:7707', origin: 'http://scanner-pc.local:7707' }), g)).toEqual({ ok: true });
    expect(checkSite(req({ host: 'scanner-pc.local:7707', origin: 'http://evil.example' }), g)).toMatchObject({ ok: false, status: 403 });
    expect(checkSite(req({ host: 'scanner-pc.local:7707', 'sec-fetch-site': 'same-site' }), g)).toMatchObject({ ok: false, status: 403 });
  });
});
