import { describe, expect, it } from 'vitest';
import { jobDuration, kindLabel, kindReason, shortDuration } from './labels';

describe('job words', () => {
  it('names kinds in full, with their reason', () => {
    expect(kindLabel('password_protected')).toBe('password protected');
    expect(kindReason('timeout')).toMatch(/longer than the time limit/);
    expect(kindReason('no_such_kind')).toBeNull();
  });

  it('gives a duration for finished, failed and running jobs', () => {
    const base = { processingTimeMs: null, startedAt: 1000, completedAt: 4500 };
    expect(jobDuration({ ...base, status: 'completed', processingTimeMs: 3700 }, 0)).toBe(3700);
    expect(jobDuration({ ...base, status: 'failed' }, 0)).toBe(3500);
    expect(jobDuration({ ...base, status: 'processing', completedAt: null }, 6000)).toBe(5000);
    expect(jobDuration({ ...base, status: 'pending', startedAt: null, completedAt: null }, 6000)).toBeNull();
    expect(shortDuration(3700)).toBe('3.7 s');
    expect(shortDuration(300_500)).toBe('5 min 1 s');
    expect(shortDuration(null)).toBe('—');
  });
});
