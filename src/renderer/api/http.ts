/**
 * The contract over HTTP, for the UI served by `quire serve`. The access token comes in the URL's
 * fragment (#token=..., never sent to any server), is kept in this tab's sessionStorage (this
 * origin only: another port on 127.0.0.1 is another origin) and goes with every API call as the
 * X-Quire-Token header. No cookie: browsers send cookies to every port of a host. The event
 * stream is read with fetch for the same reason (EventSource cannot send a header).
 *
 * The event stream reconnects by itself: when it drops, the server is probed with backoff
 * (1 s doubling to 10 s) until it answers, and the connection store says why it is down (no
 * answer, or a refused token) so the shell can show it.
 */
import { EVENT_NAMES, buildApi } from '../../ipc/contract';
import type { Api, EventMessage, EventName, HandlerName, Result, Value } from '../../ipc/contract';
import { reportConnected, reportLost, setRetry } from './connection';

const KEY = 'quire-token';
let token: string | null = null;

/** A token in the address: kept in this tab's storage, then dropped from the address bar and history. */
function takeTokenFromAddress(): string | null {
  const m = /^#token=([A-Za-z0-9_-]+)$/.exec(location.hash);
  if (!m) return null;
  sessionStorage.setItem(KEY, m[1]!);
  history.replaceState(null, '', location.pathname + location.search);
  return m[1]!;
}

/** The token from the address, else from this tab's storage. */
function loadToken(): string | null {
  if (typeof location === 'undefined' || typeof sessionStorage === 'undefined') return null;
  return takeTokenFromAddress() ?? sessionStorage.getItem(KEY);
}

/** Whether this page has a token to send (a page opened without the printed address has none). */
export function hasAccessToken(): boolean {
  return token !== null;
}

const headers = (): Record<string, string> => (token ? { 'X-Quire-Token': token } : {});

const NOT_ANSWERING = 'Quire’s server is not answering; is quire serve still running?';
const NO_TOKEN = 'This page has no valid access token. Open the address quire serve printed (it ends with #token=…).';

async function rpc<K extends HandlerName>(name: K, arg: unknown): Promise<Result<Value<K>>> {
  let res: Response;
  try {
    res = await fetch(`/api/rpc/${name}`, {
      method: 'POST',
      credentials: 'omit',
      headers: { ...headers(), 'Content-Type': 'application/json' },
      body: arg === undefined ? '' : JSON.stringify(arg),
    });
  } catch {
    stream.kick();
    return { ok: false, error: { name: 'NetworkError', message: NOT_ANSWERING, kind: 'network' } };
  }
  if (res.status === 401) {
    stream.kick();
    return { ok: false, error: { name: 'AuthError', message: NO_TOKEN, kind: 'unauthorized' } };
  }
  if (!res.headers.get('content-type')?.startsWith('application/json')) {
    return { ok: false, error: { name: 'HttpError', message: `The server refused the request (${res.status}): ${(await res.text()).trim()}`, kind: 'http' } };
  }
  return (await res.json()) as Result<Value<K>>;
}

/** Can the server be reached with this page's token? */
async function probe(): Promise<'ok' | 'lost' | 'unauthorized'> {
  try {
    const res = await fetch('/api/rpc/stats', { method: 'POST', credentials: 'omit', headers: headers(), body: '' });
    if (res.status === 401) return 'unauthorized';
    return res.ok ? 'ok' : 'lost';
  } catch {
    return 'lost';
  }
}

/** Reads one server-sent-event connection until it ends (throws when it cannot be opened). */
async function readEvents(signal: AbortSignal, onOpen: () => void, deliver: (m: EventMessage) => void): Promise<void> {
  const known = new Set<string>(EVENT_NAMES);
  const res = await fetch('/api/events', { headers: headers(), credentials: 'omit', signal, cache: 'no-store' });
  if (!res.ok || !res.body) throw new Error(`event stream refused (${res.status})`);
  onOpen();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value.replace(/\r\n?/g, '\n');
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (!known.has(event) || data.length === 0) continue;
      try {
        deliver({ event: event as EventName, data: JSON.parse(data.join('\n')) } as EventMessage);
      } catch {
        // a malformed event is dropped, never thrown into the page
      }
    }
  }
}

/** One event stream for the page, reopened after a drop; listeners survive reconnections. */
const stream = (() => {
  const listeners = new Set<(m: EventMessage) => void>();
  let open: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let probing = false;
  let delay = 1000;

  const connect = () => {
    const c = new AbortController();
    open = c;
    void readEvents(
      c.signal,
      () => {
        delay = 1000;
        reportConnected();
      },
      (m) => listeners.forEach((l) => l(m)),
    )
      .catch(() => {})
      .finally(() => {
        if (open === c) open = null;
        // Ended without being closed by us: the server went away or refused; find out which.
        if (!c.signal.aborted) void check();
      });
  };

  const close = () => {
    open?.abort();
    open = null;
  };

  const check = async () => {
    if (probing || listeners.size === 0) return;
    probing = true;
    clearTimeout(timer);
    const verdict = await probe();
    probing = false;
    if (listeners.size === 0) return;
    if (verdict === 'ok') {
      if (!open) connect();
      else reportConnected();
      return;
    }
    close();
    reportLost(verdict, Date.now() + delay);
    timer = setTimeout(() => void check(), delay);
    delay = Math.min(delay * 2, 10_000);
  };

  setRetry(() => {
    delay = 1000;
    void check();
  });

  return {
    add(l: (m: EventMessage) => void): () => void {
      listeners.add(l);
      if (!open && !probing) connect();
      return () => {
        listeners.delete(l);
        if (listeners.size === 0) {
          close();
          clearTimeout(timer);
        }
      };
    },
    /** A call failed: look at the connection now instead of waiting for the stream to notice. */
    kick() {
      void check();
    },
  };
})();

export function createHttpApi(): Api {
  token = loadToken();
  // The printed address opened again in this tab (e.g. after `quire serve --new-token`): take the
  // new token and reconnect. Registered before the shell's own hashchange listener, so the shell
  // only ever sees the address without the token.
  if (typeof window !== 'undefined') {
    window.addEventListener('hashchange', () => {
      const fresh = takeTokenFromAddress();
      if (fresh) {
        token = fresh;
        stream.kick();
      }
    });
  }
  return buildApi(rpc, (l) => stream.add(l));
}
