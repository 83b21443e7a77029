/**
 * The contract over HTTP, for the UI served by `quire serve`. The access token travels in an
 * HttpOnly cookie the server set on first load, so this code never sees it.
 */
import { EVENT_NAMES, buildApi } from '../../ipc/contract';
import type { Api, EventMessage, HandlerName, Result, Value } from '../../ipc/contract';

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
    return { ok: false, error: { name: 'NetworkError', message: 'Quire’s server is not answering; is quire serve still running?', kind: 'network' } };
  }
  if (res.status === 401) {
    return { ok: false, error: { name: 'AuthError', message: 'This page lost its access token. Open the URL quire serve printed again.', kind: 'unauthorized' } };
  }
  if (!res.headers.get('content-type')?.startsWith('application/json')) {
    return { ok: false, error: { name: 'HttpError', message: `The server refused the request (${res.status}): ${(await res.text()).trim()}`, kind: 'http' } };
  }
  return (await res.json()) as Result<Value<K>>;
}

function subscribe(listener: (m: EventMessage) => void): () => void {
  const source = new EventSource('/api/events', { withCredentials: true });
  const handlers = EVENT_NAMES.map((event) => {
    const h = (e: MessageEvent<string>) => listener({ event, data: JSON.parse(e.data) } as EventMessage);
    source.addEventListener(event, h);
    return h;
  });
  return () => {
    EVENT_NAMES.forEach((event, i) => source.removeEventListener(event, handlers[i]!));
    source.close();
  };
}

export function createHttpApi(): Api {
  return buildApi(rpc, subscribe);
}
