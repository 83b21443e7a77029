/**
 * Whether the page can reach its Quire host. The HTTP transport reports here (the desktop app's
 * IPC never drops, so it stays 'connected'); the shell shows a banner and views reload when the
 * connection comes back (`epoch` counts reconnections).
 */
import { useSyncExternalStore } from 'react';

export type ConnectionState =
  | { status: 'connected'; epoch: number }
  /** The server does not answer (stopped, restarting, network gone); `since` in ms. */
  | { status: 'lost'; epoch: number; since: number; nextTryAt: number }
  /** The server answers but refuses this page's token (it restarted with a new one). */
  | { status: 'unauthorized'; epoch: number; since: number; nextTryAt: number };

let state: ConnectionState = { status: 'connected', epoch: 0 };
const listeners = new Set<() => void>();

export function connectionState(): ConnectionState {
  return state;
}

function set(next: ConnectionState): void {
  state = next;
  listeners.forEach((l) => l());
}

export function reportLost(kind: 'lost' | 'unauthorized', nextTryAt: number): void {
  const since = state.status === 'connected' ? Date.now() : state.since;
  set({ status: kind, epoch: state.epoch, since, nextTryAt });
}

export function reportConnected(): void {
  if (state.status === 'connected') return;
  set({ status: 'connected', epoch: state.epoch + 1 });
}

export function subscribeConnection(fn: () => void): () => void {
  listeners.add(fn);
  return () => {
    listeners.delete(fn);
  };
}

export function useConnection(): ConnectionState {
  return useSyncExternalStore(subscribeConnection, connectionState);
}

let retry: (() => void) | null = null;

/** The transport's "try again now" (the banner's button). */
export function setRetry(fn: (() => void) | null): void {
  retry = fn;
}

export function retryNow(): void {
  retry?.();
}
