/**
 * Progress of the work in hand (the batch: everything finished since the queue was last seen
 * idle, plus what is left) and the time it will take, from the queue counts the API pushes.
 *
 * The rate counts only time spent working: the tracker adds up the time between two stats while
 * the queue was not paused and had work, so an idle night or a pause never slows the estimate.
 * Before the tracker has seen enough, the per-minute throughput is used, cut at the first gap of
 * more than IDLE_GAP_MIN empty minutes (the idle time before this batch).
 *
 * Plain functions over plain data: no React, no API; tested in progress.test.ts.
 */

export interface Counts {
  pending: number;
  processing: number;
  completed: number;
  failed: number;
  cancelled: number;
  paused: boolean;
}

/** Finished counts at the moment the batch began. */
export interface Baseline {
  completed: number;
  failed: number;
  cancelled: number;
  /** When the batch began (ms), or when this window first looked if `known` is false. */
  at: number;
  /** False when the window opened mid-batch and nothing told it where the batch began. */
  known: boolean;
}

interface Sample {
  t: number;
  processed: number;
  activeMs: number;
}

export interface Tracker {
  base: Baseline;
  /** Counts the last time the queue was seen with nothing left: the next batch starts from them. */
  idle: Baseline | null;
  last: { t: number; working: boolean; processed: number };
  activeMs: number;
  samples: Sample[];
}

/** The rate is measured over this much working time. */
export const RATE_WINDOW_MS = 10 * 60_000;
/** Empty minutes in a row that mean the queue was idle (a file rarely takes longer). */
export const IDLE_GAP_MIN = 3;

const left = (c: Counts) => c.pending + c.processing;
const processed = (c: Counts) => c.completed + c.failed;
const snap = (c: Counts, at: number, known: boolean): Baseline => ({ completed: c.completed, failed: c.failed, cancelled: c.cancelled, at, known });

/** Takes in one stats reading at time `t`. `stored` is a baseline kept from an earlier visit. */
export function observe(prev: Tracker | null, c: Counts, t: number, stored?: Baseline | null): Tracker {
  const working = !c.paused && left(c) > 0;
  if (!prev) {
    const idle = left(c) === 0 ? snap(c, t, true) : null;
    const base = idle ?? stored ?? snap(c, t, false);
    return { base, idle, last: { t, working, processed: processed(c) }, activeMs: 0, samples: [{ t, processed: processed(c), activeMs: 0 }] };
  }
  const activeMs = prev.activeMs + (prev.last.working ? Math.max(0, t - prev.last.t) : 0);
  let base = prev.base;
  let idle = prev.idle;
  if (left(c) === 0) idle = snap(c, t, true);
  else if (idle) {
    // Work arrived after an idle spell: a new batch starts from the counts of that idle moment.
    base = { ...idle, at: t };
    idle = null;
  }
  // Counts can fall (a requeue takes failed jobs back, cleanup deletes old completed rows): the
  // batch then counts from the lower figure, so "done" never goes negative.
  base = { ...base, completed: Math.min(base.completed, c.completed), failed: Math.min(base.failed, c.failed), cancelled: Math.min(base.cancelled, c.cancelled) };
  const p = processed(c);
  const samples = prev.samples.filter((s) => s.activeMs >= activeMs - 2 * RATE_WINDOW_MS);
  // A drop in processed (requeue) would read as negative speed: start measuring again.
  const kept = p < prev.last.processed ? [] : samples;
  kept.push({ t, processed: p, activeMs });
  return { base, idle, last: { t, working, processed: p }, activeMs, samples: kept };
}

export interface BatchView {
  done: number;
  total: number;
  completed: number;
  failed: number;
  cancelled: number;
  left: number;
  known: boolean;
  startedAt: number;
}

export function batchView(tr: Tracker, c: Counts): BatchView {
  const completed = Math.max(0, c.completed - tr.base.completed);
  const failed = Math.max(0, c.failed - tr.base.failed);
  const cancelled = Math.max(0, c.cancelled - tr.base.cancelled);
  const done = completed + failed + cancelled;
  return { done, total: done + left(c), completed, failed, cancelled, left: left(c), known: tr.base.known, startedAt: tr.base.at };
}

/** Files per millisecond of working time, from what this window saw; null when too little. */
export function observedRate(tr: Tracker, t: number): number | null {
  const nowActive = tr.activeMs + (tr.last.working ? Math.max(0, t - tr.last.t) : 0);
  const from = tr.samples.find((s) => s.activeMs >= nowActive - RATE_WINDOW_MS);
  if (!from) return null;
  const files = tr.last.processed - from.processed;
  const ms = nowActive - from.activeMs;
  // One file finishing soon after the window opened says little (several may have been nearly done).
  if (files < 1 || ms <= 0 || (files < 2 && ms < 30_000)) return null;
  return files / ms;
}

/**
 * Files per millisecond from the per-minute completions, over the run of minutes that ends now
 * and stops at the first idle gap (or at `sinceMs`, the batch start when known).
 */
export function minuteRate(perMinute: readonly { minute: number; completed: number }[], t: number, sinceMs?: number): number | null {
  const byMinute = new Map(perMinute.map((m) => [m.minute, m.completed]));
  const nowMin = Math.floor(t / 60_000);
  const stop = Math.max(nowMin - 60, sinceMs === undefined ? -Infinity : Math.floor(sinceMs / 60_000));
  let files = 0;
  let first: number | null = null;
  let gap = 0;
  for (let m = nowMin; m >= stop; m--) {
    const n = byMinute.get(m) ?? 0;
    if (n > 0) {
      files += n;
      first = m;
      gap = 0;
    } else if (first !== null && ++gap > IDLE_GAP_MIN) break;
  }
  if (first === null) return null;
  return files / Math.max(60_000, t - first * 60_000);
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${Math.max(1, s)} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.round(h / 24)} days`;
}

/** The sentence under the progress bar. */
export function etaSentence(view: BatchView, paused: boolean, rate: number | null): string {
  if (view.left === 0) return view.done > 0 ? 'This batch is done.' : 'Nothing to do: the queue is empty.';
  if (paused) return 'Paused: no file starts until you resume.';
  if (rate === null) return 'Estimating the time left…';
  const perMin = rate * 60_000;
  const pace = perMin >= 1 ? `${perMin >= 10 ? Math.round(perMin) : perMin.toFixed(1)} files a minute` : `one file every ${duration(1 / rate)}`;
  return `About ${duration(view.left / rate)} left at ${pace}.`;
}
