import { describe, expect, it } from 'vitest';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffMs, nominalBackoffMs } from './backoff';

describe('backoff', () => {
  it('doubles per attempt from the base and stops at the cap', () => {
    expect(nominalBackoffMs(1)).toBe(BACKOFF_BASE_MS);
    expect(nominalBackoffMs(2)).toBe(2 * BACKOFF_BASE_MS);
    expect(nominalBackoffMs(3)).toBe(4 * BACKOFF_BASE_MS);
    expect(nominalBackoffMs(50)).toBe(BACKOFF_CAP_MS);
    expect(nominalBackoffMs(10_000)).toBe(BACKOFF_CAP_MS);
  });

  it('jitters between half and all of the nominal delay', () => {
    for (const attempts of [1, 2, 3, 8]) {
      const nominal = nominalBackoffMs(attempts);
      expect(backoffMs(attempts, () => 0)).toBe(nominal / 2);
      expect(backoffMs(attempts, () => 0.999999)).toBeCloseTo(nominal, -1);
      const samples = Array.from({ length: 200 }, () => backoffMs(attempts));
      expect(Math.min(...samples)).toBeGreaterThanOrEqual(nominal / 2);
      expect(Math.max(...samples)).toBeLessThanOrEqual(nominal);
      expect(new Set(samples).size).toBeGreaterThan(1);
    }
  });
});
