/**
 * The contract over HTTP, for the UI served by `quire serve`. The access token travels in an
 * HttpOnly cookie the server set on first load, so this code never sees it.
 *
 * The event stream reconnects by itself: when it drops, the server is probed with backoff
 * (1 s doubling to 10 s) until it answers, and the connection store says why it is down (no
 * answer, or a refused token after a restart) so the shell can show it.
 */
import { EVENT_NAMES, buildApi } from '../../ipc/contract';
import type { Api, EventMessage, HandlerName, Result, Value } from '../../ipc/contract';
import { reportConnected, reportLost, setRetry } from './connection';

const NOT_ANSWERING = 'Quire’s server is not answering; is quire serve still running?';
const TOKEN_LOST = 'This page lost its access token. Open the URL quire serve printed again.';

async function rpc<K extends HandlerName>(name: K, arg: unknown): Promise<Result<Value<K>>> {
  let res: Response;
  try {
    res = await fetch(`/api/rpc/${name}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: arg === undefined ? '' : JSON.stringify(arg),
    });
  } catch {
    stream.kick();
    return { ok: false, error: { name: 'NetworkError', message: NOT_ANSWERING, kind: 'network' } };
  }
  if (res.status === 401) {
    stream.kick();
    return { ok: false, error: { name: 'AuthError', message: TOKEN_LOST, kind: 'unauthorized' } };
  }
  if (!res.headers.get('content-type')?.startsWith('application/json')) {
    return { ok: false, error: { name: 'HttpError', message: `The server refused the request (${res.status}): ${(await res.text()).trim()}`, kind: 'http' } };
  }
  return (await res.json()) as Result<Value<K>>;
}

/** Can the server be reached with this page's token? */
async function probe(): Promise<'ok' | 'lost' | 'unauthorized'> {
  try {
    const res = await fetch('/api/rpc/stats', { method: 'POST', credentials: 'same-origin', body: '' });
    if (res.status === 401) return 'unauthorized';
    return res.ok ? 'ok' : 'lost';
  } catch {
    return 'lost';
  }
}

/** One EventSource for the page, reopened after a drop; listeners survive reconnections. */
const stream = (() => {
  const listeners = new Set<(m: EventMessage) => void>();
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let probing = false;
  let delay = 1000;

  const open = () => {
    const s = new EventSource('/api/events', { withCredentials: true });
    source = s;
    s.onopen = () => {
      delay = 1000;
      reportConnected();
    };
    for (const event of EVENT_NAMES) {
      s.addEventListener(event, (e: MessageEvent<string>) => {
        const m = { event, data: JSON.parse(e.data) } as EventMessage;
        listeners.forEach((l) => l(m));
      });
    }
    // EventSource retries by itself only while the server is unreachable, never after a 401:
    // take over, so both cases are told apart and both end when the server is back.
    s.onerror = () => {
      s.close();
      if (source === s) source = null;
      void check();
    };
  };

  const check = async () => {
    if (probing || listeners.size === 0) return;
    probing = true;
    clearTimeout(timer);
    const verdict = await probe();
    probing = false;
    if (listeners.size === 0) return;
    if (verdict === 'ok') {
      if (!source) open();
      else reportConnected();
      return;
    }
    source?.close();
    source = null;
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
      if (!source && !probing) open();
      return () => {
        listeners.delete(l);
        if (listeners.size === 0) {
          source?.close();
          source = null;
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
  return buildApi(rpc, (l) => stream.add(l));
}
