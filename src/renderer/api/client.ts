/**
 * The renderer's one client: the preload bridge in the desktop app, HTTP in a browser. Both
 * satisfy the same Api type, so views never know which one they talk to.
 */
import { useEffect, useRef, useState } from 'react';
import type { Api, EventMessage, EventName, Events, Result } from '../../ipc/contract';
import { createHttpApi, hasAccessToken } from './http';

declare global {
  interface Window {
    /** Set by the Electron preload. */
    quire?: DesktopApi;
  }
}

/** The contract, plus what only the desktop app can do (absent in a browser). */
export type DesktopApi = Api & {
  pathForFile?: (file: File) => string;
  showInFolder?: (documentId: string) => Promise<Result<null>>;
  openFile?: (documentId: string) => Promise<Result<null>>;
};

export const api: DesktopApi = window.quire ?? createHttpApi();

/** In a browser, opened without the address quire serve printed: there is no token to send. */
export const needsAccessToken = !window.quire && !hasAccessToken();

type Listener = (m: EventMessage) => void;
const listeners = new Set<Listener>();
let unsubscribeAll: (() => void) | null = null;

/** One shared event stream for the whole page. */
export function onEvent<E extends EventName>(event: E, fn: (data: Events[E]) => void): () => void {
  const l: Listener = (m) => {
    if (m.event === event) fn(m.data as Events[E]);
  };
  listeners.add(l);
  unsubscribeAll ??= api.subscribe((m) => {
    if (m.event === 'storageStatus') lastStorage = m.data;
    listeners.forEach((x) => x(m));
  });
  return () => {
    listeners.delete(l);
  };
}

// The last storage status seen on the stream, so a view opened later still shows an ongoing fault.
let lastStorage: Events['storageStatus'] | null = null;

/** The queue database's write status: null until a fault was ever reported. */
export function useStorageStatus(): Events['storageStatus'] | null {
  const [s, setS] = useState(lastStorage);
  useEvent('storageStatus', setS);
  return s;
}

export function useEvent<E extends EventName>(event: E, fn: (data: Events[E]) => void): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => onEvent(event, (d) => ref.current(d)), [event]);
}

/** Run a command, keep its busy state and its error sentence for the view. */
export function useAction() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  async function run<T>(label: string, call: () => Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>, done?: (v: T) => string | void): Promise<T | undefined> {
    setBusy(label);
    setError(null);
    setNotice(null);
    try {
      const r = await call();
      if (!r.ok) {
        setError(r.error.message);
        return undefined;
      }
      const msg = done?.(r.value);
      if (msg) setNotice(msg);
      return r.value;
    } finally {
      setBusy(null);
    }
  }
  return { busy, error, notice, run, setError };
}
