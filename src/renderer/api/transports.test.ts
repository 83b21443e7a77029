/**
 * Both transports satisfy the one contract: at the type level (satisfies Api, checked by tsc on
 * this file) and at run time (each exposes exactly the handler names, on the expected channel or
 * route). The server side of "every handler is served over HTTP" is in src/server/server.test.ts.
 */
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { HANDLER_NAMES } from '../../ipc/contract';
import type { Api, Handlers, RequeueSummary, Result, Value } from '../../ipc/contract';
import { createPreloadApi, DESKTOP_EXTRAS } from '../../preload/api';
import { createHttpApi } from './http';

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('the API contract', () => {
  it('derives each method from its handler (type level)', () => {
    expectTypeOf<Parameters<Api['listJobs']>>().toEqualTypeOf<Parameters<Handlers['listJobs']>>();
    expectTypeOf<ReturnType<Api['requeueFailed']>>().toEqualTypeOf<Promise<Result<RequeueSummary>>>();
    expectTypeOf<Value<'stats'>>().toEqualTypeOf<Awaited<ReturnType<Handlers['stats']>>>();
    expectTypeOf(createHttpApi()).toMatchTypeOf<Api>();
    expectTypeOf(createPreloadApi(async () => null, () => () => {})).toMatchTypeOf<Api>();
    // A transport whose method answers the wrong type does not satisfy the contract.
    // @ts-expect-error stats must answer Result<QueueStats>
    void ({ ...createHttpApi(), stats: async () => 1 } satisfies Api);
    // Neither client can send a key outside a handler's schema (the handlers refuse one anyway).
    // @ts-expect-error listJobs has no argument "foo"
    void (() => createHttpApi().listJobs({ foo: 1 }));
    // @ts-expect-error stats takes no arguments
    void (() => createPreloadApi(async () => null, () => () => {}).stats({ all: true }));
  });

  it('the preload exposes exactly the handler names (plus pathForFile), each on its own channel', async () => {
    const calls: [string, unknown][] = [];
    const api = createPreloadApi(
      async (channel, arg) => {
        calls.push([channel, arg]);
        return { ok: true, value: null };
      },
      () => () => {},
    );
    expect(sorted(Object.keys(api).filter((k) => k !== 'subscribe'))).toEqual(sorted(HANDLER_NAMES));
    expect(DESKTOP_EXTRAS).toEqual(['pathForFile', 'showInFolder', 'openFile']);
    for (const name of HANDLER_NAMES) {
      await (api[name] as (a: unknown) => Promise<unknown>)({ probe: name });
    }
    expect(calls).toEqual(HANDLER_NAMES.map((n) => [`quire:${n}`, { probe: n }]));
  });

  describe('the HTTP client', () => {
    afterEach(() => vi.unstubAllGlobals());

    it('exposes exactly the handler names, each POSTing JSON to /api/rpc/<name>', async () => {
      const requests: { url: string; init: RequestInit }[] = [];
      vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
        requests.push({ url, init });
        return new Response(JSON.stringify({ ok: true, value: 7 }), { headers: { 'content-type': 'application/json' } });
      });
      const api = createHttpApi();
      expect(sorted(Object.keys(api).filter((k) => k !== 'subscribe'))).toEqual(sorted(HANDLER_NAMES));
      for (const name of HANDLER_NAMES) {
        const r = await (api[name] as (a: unknown) => Promise<unknown>)({ probe: name });
        expect(r).toEqual({ ok: true, value: 7 });
      }
      expect(requests.map((r) => r.url)).toEqual(HANDLER_NAMES.map((n) => `/api/rpc/${n}`));
      for (const r of requests) {
        expect(r.init.method).toBe('POST');
        expect(new Headers(r.init.headers).get('content-type')).toBe('application/json');
      }
      expect(JSON.parse(String(requests[0]!.init.body))).toEqual({ probe: HANDLER_NAMES[0] });
    });

    it('takes the token from the address fragment into this tab only, drops it from the address, and sends it as a header, never a cookie', async () => {
      const token = 'A'.repeat(32);
      const stored = new Map<string, string>();
      const replaced: string[] = [];
      vi.stubGlobal('location', { hash: `#token=${token}`, pathname: '/', search: '' });
      vi.stubGlobal('sessionStorage', { setItem: (k: string, v: string) => stored.set(k, v), getItem: (k: string) => stored.get(k) ?? null });
      vi.stubGlobal('history', { replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url) });
      const requests: RequestInit[] = [];
      vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
        requests.push(init);
        return new Response(JSON.stringify({ ok: true, value: 1 }), { headers: { 'content-type': 'application/json' } });
      });
      await createHttpApi().stats();
      expect(new Headers(requests[0]!.headers).get('x-quire-token')).toBe(token);
      expect(requests[0]!.credentials).toBe('omit');
      expect(replaced).toEqual(['/']);
      expect([...stored.values()]).toEqual([token]);
    });

    it('turns a refused request into an error sentence, not an exception', async () => {
      vi.stubGlobal('fetch', async () => new Response('Quire needs its access token', { status: 401 }));
      const r = await createHttpApi().stats();
      expect(r).toMatchObject({ ok: false, error: { kind: 'unauthorized' } });
      expect(r.ok ? '' : r.error.message).toMatch(/^This page has no valid access token\. Open the address quire serve printed/);
      vi.stubGlobal('fetch', async () => {
        throw new TypeError('fetch failed');
      });
      const down = await createHttpApi().stats();
      expect(down).toMatchObject({ ok: false, error: { kind: 'network' } });
    });
  });
});
