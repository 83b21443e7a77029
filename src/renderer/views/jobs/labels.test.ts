import { describe, expect, it } from 'vitest';
import { jobDuration, kindLabel, kindNote, kindReason, shortDuration, statusText } from './labels';

describe('job words', () => {
  it('names kinds in full, with their reason', () => {
    expect(kindLabel('password_protected')).toBe('password protected');
    expect(kindReason('timeout')).toMatch(/longer than the time limit/);
    expect(kindReason('no_such_kind')).toBeNull();
  });

  it('says a status once: "Cancelled", never "cancelled (cancelled)"', () => {
    expect(statusText('cancelled', 'cancelled')).toBe('Cancelled');
    expect(kindNote('cancelled', 'cancelled')).toBe('');
    expect(statusText('cancelled', 'file_missing')).toBe('Cancelled (file missing)');
    expect(statusText('failed', 'corrupt_file')).toBe('Failed (corrupt file)');
    expect(kindNote('failed', 'corrupt_file')).toBe('corrupt file');
    expect(statusText('pending', null)).toBe('Pending');
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
