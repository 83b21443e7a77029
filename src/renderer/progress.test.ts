import { describe, expect, it } from 'vitest';
import { batchView, type Counts, etaSentence, minuteRate, observe, observedRate, type Tracker } from './progress';

const counts = (c: Partial<Counts>): Counts => ({ pending: 0, processing: 0, completed: 0, failed: 0, cancelled: 0, paused: false, ...c });
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

/** Feeds readings in order; each is [ms after T0, counts]. */
function feed(readings: [number, Partial<Counts>][], start: Tracker | null = null): Tracker {
  let tr = start;
  for (const [dt, c] of readings) tr = observe(tr, counts(c), T0 + dt);
  return tr!;
}

describe('the batch: work finished since the queue was last idle, plus what is left', () => {
  it('starts a new batch when work arrives after an idle spell, leaving earlier history out', () => {
    const tr = feed([
      [0, { completed: 2000, failed: 5 }],
      [60_000, { completed: 2000, failed: 5, pending: 20 }],
      [65_000, { completed: 2008, failed: 6, pending: 10, processing: 2 }],
    ]);
    const v = batchView(tr, counts({ completed: 2008, failed: 6, pending: 10, processing: 2 }));
    expect(v).toMatchObject({ done: 9, total: 21, completed: 8, failed: 1, left: 12, known: true, startedAt: T0 + 60_000 });
  });

  it('counts cancelled files as done, so cancelling the rest ends the batch instead of reading "nothing left"', () => {
    const tr = feed([
      [0, {}],
      [1000, { pending: 2005 }],
      [5000, { completed: 4, pending: 2001 }],
      [6000, { completed: 4, cancelled: 2001 }],
    ]);
    const c = counts({ completed: 4, cancelled: 2001 });
    const v = batchView(tr, c);
    expect(v).toMatchObject({ done: 2005, total: 2005, cancelled: 2001, left: 0 });
    expect(etaSentence(v, false, null)).toBe('This batch is done.');
  });

  it('never goes below zero when a requeue takes failed files back into the batch', () => {
    const tr = feed([
      [0, { failed: 50 }],
      [1000, { failed: 50, pending: 10 }],
      [2000, { failed: 0, pending: 60 }],
    ]);
    expect(batchView(tr, counts({ failed: 0, pending: 60 }))).toMatchObject({ done: 0, total: 60 });
  });

  it('says so when the window opened mid-batch and the start is unknown, or uses a stored start', () => {
    const fresh = feed([[0, { completed: 100, pending: 50 }]]);
    expect(batchView(fresh, counts({ completed: 100, pending: 50 }))).toMatchObject({ done: 0, total: 50, known: false });
    const stored = { completed: 40, failed: 0, cancelled: 0, at: T0 - 3_600_000, known: true };
    const kept = observe(null, counts({ completed: 100, pending: 50 }), T0, stored);
    expect(batchView(kept, counts({ completed: 100, pending: 50 }))).toMatchObject({ done: 60, total: 110, known: true });
  });
});

describe('the rate counts working time only', () => {
  it('20 files in 10 s after an idle hour: seconds left, not minutes', () => {
    const readings: [number, Partial<Counts>][] = [[0, {}], [3_600_000, { pending: 40 }]];
    for (let i = 1; i <= 20; i++) readings.push([3_600_000 + i * 500, { completed: i, pending: 40 - i }]);
    const tr = feed(readings);
    const rate = observedRate(tr, T0 + 3_610_000)!;
    expect(rate * 1000).toBeCloseTo(2, 1); // files per second
    const v = batchView(tr, counts({ completed: 20, pending: 20 }));
    expect(etaSentence(v, false, rate)).toBe('About 10 s left at 120 files a minute.');
  });

  it('a pause in the middle does not slow the estimate', () => {
    const tr = feed([
      [0, { pending: 30 }],
      [10_000, { completed: 5, pending: 25 }],
      [10_001, { completed: 5, pending: 25, paused: true }],
      [610_000, { completed: 5, pending: 25, paused: false }],
      [620_000, { completed: 10, pending: 20 }],
    ]);
    // 10 files in 20 s of work, the ten paused minutes left out.
    expect(observedRate(tr, T0 + 620_000)! * 1000).toBeCloseTo(0.5, 2);
    expect(etaSentence(batchView(tr, counts({ completed: 10, pending: 20, paused: true })), true, 0.0005)).toBe('Paused: no file starts until you resume.');
  });

  it('gives no rate from a single early completion', () => {
    const tr = feed([
      [0, { pending: 10, processing: 2 }],
      [2000, { completed: 1, pending: 10, processing: 1 }],
    ]);
    expect(observedRate(tr, T0 + 2500)).toBeNull();
  });
});

describe('the per-minute fallback', () => {
  const m = (offsetMin: number, completed: number) => ({ minute: Math.floor(T0 / 60_000) + offsetMin, completed });

  it('stops at an idle gap, so an earlier batch does not slow the estimate', () => {
    // An earlier batch an hour ago (100 files), then 40 idle minutes, then 12 files in the last 2 minutes.
    const data = [m(-55, 50), m(-54, 50), m(-1, 6), m(0, 6)];
    const rate = minuteRate(data, T0 + 30_000)!;
    expect(rate * 60_000).toBeCloseTo(12 / 1.5, 5);
  });

  it('bridges short gaps (a long file) and starts no earlier than a known batch start', () => {
    const data = [m(-4, 2), m(-2, 2), m(0, 2)];
    expect(minuteRate(data, T0 + 60_000)! * 60_000).toBeCloseTo(6 / 5, 5);
    expect(minuteRate(data, T0 + 60_000, T0 - 2 * 60_000)! * 60_000).toBeCloseTo(4 / 3, 5);
    expect(minuteRate([], T0)).toBeNull();
  });
});
