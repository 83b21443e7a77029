/**
 * The contract over HTTP, for the UI served by `quire serve`. The access token travels in an
 * HttpOnly cookie the server set on first load, so this code never sees it.
 */
import type { Api, Arg, EventMessage, EventName, HandlerName, Result, Value } from '../../ipc/contract';

const EVENT_NAMES: readonly EventName[] = ['statsChanged', 'jobProgress', 'jobFinished', 'watcherStatus', 'ingestProgress', 'storageStatus'];

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

function method<K extends HandlerName>(name: K) {
  return (...args: Arg<K>) => rpc(name, args[0]);
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

export function createHttpApi() {
  return {
    stats: method('stats'),
    throughput: method('throughput'),
    workers: method('workers'),
    listJobs: method('listJobs'),
    failureGroups: method('failureGroups'),
    document: method('document'),
    pageImage: method('pageImage'),
    search: method('search'),
    watchedFolders: method('watchedFolders'),
    settings: method('settings'),
    languages: method('languages'),
    exportFailuresCsv: method('exportFailuresCsv'),
    addPaths: method('addPaths'),
    requeueFailed: method('requeueFailed'),
    cancel: method('cancel'),
    pause: method('pause'),
    resume: method('resume'),
    setConcurrency: method('setConcurrency'),
    addWatchedFolder: method('addWatchedFolder'),
    removeWatchedFolder: method('removeWatchedFolder'),
    updateSettings: method('updateSettings'),
    subscribe,
  } satisfies Api;
}
