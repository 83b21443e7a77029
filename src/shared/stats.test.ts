import { describe, expect, it } from 'vitest';
import { describeWorkers, type HostWorkers, summarizeHosts } from './stats';

const host = (hostId: string, workersAllowed: number, fullWorkers: number, throttleReason: string | null): HostWorkers => ({ hostId, workersAllowed, fullWorkers, throttleReason });

describe('the workers line (quire stats, Dashboard, tray tooltip)', () => {
  it('says when no host runs workers', () => {
    expect(describeWorkers(summarizeHosts([]))).toBeNull();
  });

  it('gives the reason while one host is limited, and the count at full speed', () => {
    expect(describeWorkers(summarizeHosts([host('a/1', 1, 4, '1 of 4 workers: on battery (43%)')]))).toBe('1 of 4 workers: on battery (43%)');
    expect(describeWorkers(summarizeHosts([host('a/1', 4, 4, null)]))).toBe('4 workers at full speed');
    expect(describeWorkers(summarizeHosts([host('a/1', 1, 1, null)]))).toBe('1 worker at full speed');
  });

  it('sums several hosts and names the limited ones', () => {
    expect(describeWorkers(summarizeHosts([host('a/1', 4, 4, null), host('b/2', 2, 2, null)]))).toBe('6 workers on 2 hosts, all at full speed');
    expect(describeWorkers(summarizeHosts([host('a/1', 4, 4, null), host('b/2', 0, 2, 'paused: on battery (43%)')]))).toBe(
      '4 workers on 2 hosts, 1 limited: b/2: paused: on battery (43%)',
    );
  });
});
