/**
 * The queue as every screen sees it: the latest stats (pushed by the host), the batch in hand and
 * its estimate (progress.ts), kept from the moment the page opens whatever screen is showing, so
 * the title, the status strip and the end-of-batch notification work everywhere.
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { MinuteCount, QueueStats } from '../../ipc/contract';
import { api, onEvent } from '../api/client';
import { subscribeConnection, connectionState } from '../api/connection';
import { type Baseline, batchView, type BatchView, minuteRate, observe, observedRate, type Tracker } from '../progress';
import { notifyBatchDone } from './notify';

export interface QueueState {
  stats: QueueStats | null;
  batch: BatchView | null;
  /** Files per ms of working time, null while unknown. */
  rate: number | null;
  /** When the state was computed (ms), so "time left" re-renders with the clock. */
  at: number;
  error: string | null;
}

const STORE_KEY = 'quire.batch';
let state: QueueState = { stats: null, batch: null, rate: null, at: 0, error: null };
let tracker: Tracker | null = null;
let minutes: MinuteCount[] = [];
let minutesAt = 0;
const listeners = new Set<() => void>();
let started = false;

function storedBase(): Baseline | null {
  try {
    const b = JSON.parse(localStorage.getItem(STORE_KEY) ?? 'null') as Baseline | null;
    return b && typeof b.completed === 'number' && b.known ? b : null;
  } catch {
    return null;
  }
}

function recompute(): void {
  const s = state.stats;
  if (!s || !tracker) return;
  const now = Date.now();
  const batch = batchView(tracker, s);
  const rate = observedRate(tracker, now) ?? minuteRate(minutes, now, batch.known ? batch.startedAt : undefined);
  state = { ...state, batch, rate, at: now };
  listeners.forEach((l) => l());
}

// A pool failing missing files pushes stats hundreds of times a second; every screen redraws
// (and the tab title is set) at most this often.
const COALESCE_MS = 250;
let latest: QueueStats | null = null;
let flushTimer: ReturnType<typeof setTimeout> | undefined;

function offer(s: QueueStats): void {
  latest = s;
  flushTimer ??= setTimeout(() => {
    flushTimer = undefined;
    if (latest) take(latest);
    latest = null;
  }, COALESCE_MS);
}

function take(s: QueueStats): void {
  const before = state.batch;
  tracker = observe(tracker, s, Date.now(), tracker ? null : storedBase());
  if (tracker.base.known) localStorage.setItem(STORE_KEY, JSON.stringify(tracker.base));
  state = { ...state, stats: s, error: null };
  recompute();
  const after = state.batch!;
  if (before && before.left > 0 && after.left === 0 && after.done > 0) notifyBatchDone(after);
  // The per-minute series is the fallback estimate: fetch it when the window has no rate of its own.
  if (after.left > 0 && state.rate === null && Date.now() - minutesAt > 30_000) void loadMinutes();
}

async function loadMinutes(): Promise<void> {
  minutesAt = Date.now();
  const r = await api.throughput({ minutes: 60 });
  if (r.ok) {
    minutes = r.value;
    recompute();
  }
}

async function loadStats(): Promise<void> {
  const r = await api.stats();
  if (r.ok) take(r.value);
  else {
    state = { ...state, error: r.error.message };
    listeners.forEach((l) => l());
  }
}

function start(): void {
  if (started) return;
  started = true;
  onEvent('statsChanged', offer);
  void loadStats();
  // After a reconnection the numbers on screen are old: fetch them again.
  let epoch = connectionState().epoch;
  subscribeConnection(() => {
    const c = connectionState();
    if (c.epoch !== epoch) {
      epoch = c.epoch;
      void loadStats();
    }
  });
  // Time left moves with the clock even when no file finishes.
  setInterval(() => {
    if (state.batch && state.batch.left > 0) recompute();
  }, 5000);
}

/** Apply stats a command answered with (pause, resume) at once. */
export function acceptStats(s: QueueStats): void {
  latest = null;
  take(s);
}

export function useQueue(): QueueState {
  useEffect(start, []);
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => {
        listeners.delete(l);
      };
    },
    () => state,
  );
}
