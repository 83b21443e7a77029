import { describe, expect, it } from 'vitest';
import { etaText } from './format';

const at = (min: number) => min * 60_000;
const queue = (pending: number, paused = false) => ({ pending, processing: 0, paused });

describe('etaText', () => {
  it('measures the pace over the time work has been going, not over a whole hour', () => {
    // 1 file done 1 minute after the first completion, 39 left: ~39 min, not 39 h.
    expect(etaText(queue(39), [{ minute: 1000, completed: 1 }], at(1001))).toBe('About 39.0 min left at the pace of the last 1.0 min.');
    // 20 done over 4 minutes (5/min), 10 left: 2 minutes.
    const four = [1000, 1001, 1002, 1003].map((minute) => ({ minute, completed: 5 }));
    expect(etaText(queue(10), four, at(1004))).toBe('About 2.0 min left at the pace of the last 4.0 min.');
  });

  it('uses the last hour once work has gone on that long, ignoring older minutes', () => {
    const hours = Array.from({ length: 120 }, (_, i) => ({ minute: 2000 + i, completed: i < 60 ? 100 : 2 }));
    // Last 60 minutes: 2 a minute; 240 left = 2 hours.
    expect(etaText(queue(240), hours, at(2120))).toBe('About 2.0 h left at the pace of the last hour.');
  });

  it('says when there is nothing to estimate from, nothing left, or the queue is paused', () => {
    expect(etaText(queue(5), [{ minute: 10, completed: 3 }], at(200))).toBe('No estimate yet: nothing finished in the last hour.');
    expect(etaText(queue(0), [], at(200))).toBe('Nothing left to do.');
    expect(etaText(queue(5, true), [{ minute: 199, completed: 3 }], at(200))).toBe('Paused.');
  });
});
