/**
 * The contract over HTTP, for the UI served by `quire serve`. The access token comes in the URL's
 * fragment (#token=..., never sent to any server), is kept in this tab's sessionStorage (this
 * origin only: another port on 127.0.0.1 is another origin) and goes with every API call as the
 * X-Quire-Token header. No cookie: browsers send cookies to every port of a host. The event
 * stream is read with fetch for the same reason (EventSource cannot send a header).
 */
import { EVENT_NAMES, buildApi } from '../../ipc/contract';
import type { Api, EventMessage, EventName, HandlerName, Result, Value } from '../../ipc/contract';

const KEY = 'quire-token';
let token: string | null = null;

/** Take the token from the address (then drop it from the address bar and history), else from this tab's storage. */
function loadToken(): string | null {
  if (typeof location === 'undefined' || typeof sessionStorage === 'undefined') return null;
  const m = /^#token=([A-Za-z0-9_-]+)$/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(KEY, m[1]!);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(KEY);
}

/** Whether this page has a token to send (a page opened without the printed address has none). */
export function hasAccessToken(): boolean {
  return token !== null;
}

const headers = (): Record<string, string> => (token ? { 'X-Quire-Token': token } : {});

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
    return { ok: false, error: { name: 'NetworkError', message: 'Quire’s server is not answering; is quire serve still running?', kind: 'network' } };
  }
  if (res.status === 401) return { ok: false, error: { name: 'AuthError', message: NO_TOKEN, kind: 'unauthorized' } };
  if (!res.headers.get('content-type')?.startsWith('application/json')) {
    return { ok: false, error: { name: 'HttpError', message: `The server refused the request (${res.status}): ${(await res.text()).trim()}`, kind: 'http' } };
  }
  return (await res.json()) as Result<Value<K>>;
}

/** Server-sent events over fetch, reconnecting after a drop (as EventSource would), until closed or refused. */
function subscribe(listener: (m: EventMessage) => void): () => void {
  const stop = new AbortController();
  const known = new Set<string>(EVENT_NAMES);
  const deliver = (block: string) => {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (!known.has(event) || data.length === 0) return;
    try {
      listener({ event: event as EventName, data: JSON.parse(data.join('\n')) } as EventMessage);
    } catch {
      // a malformed event is dropped, never thrown into the page
    }
  };
  void (async () => {
    while (!stop.signal.aborted) {
      try {
        const res = await fetch('/api/events', { headers: headers(), credentials: 'omit', signal: stop.signal, cache: 'no-store' });
        if (res.status === 401 || res.status === 403) return; // no token, or refused: retrying cannot help
        if (res.ok && res.body) {
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          let buf = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buf += value.replace(/\r\n?/g, '\n');
            let i: number;
            while ((i = buf.indexOf('\n\n')) >= 0) {
              deliver(buf.slice(0, i));
              buf = buf.slice(i + 2);
            }
          }
        }
      } catch {
        // dropped (the server restarted, the network blinked): try again below
      }
      if (!stop.signal.aborted) await new Promise((r) => setTimeout(r, 2000));
    }
  })();
  return () => stop.abort();
}

export function createHttpApi(): Api {
  token = loadToken();
  return buildApi(rpc, subscribe);
}
