import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mirroredBase } from '../../src/core/export/export';
import { releaseJobsOfDeadLocalHosts, parseWorkerId, workerIdFor } from '../../src/core/pool/host-id';
import { silentLogger } from '../../src/core/logger';
import { ftsQuery } from '../../src/core/store/sqlite/listings';
import { tempDir } from '../helpers';
import { jobsOf, openStore } from './harness';

async function enqueue(store: ReturnType<typeof openStore>, ...paths: string[]) {
  await store.enqueueBatch(paths.map((path) => ({ path, size: 10, mtimeMs: 1, kind: 'image/png' })));
}

// The store methods the pool added are in the shared store contract (test/store-contract-pool.ts).
describe('search query words', () => {
  it('quotes every word for FTS5 and keeps a trailing * as prefix search', () => {
    expect(ftsQuery('say "hi" now*')).toBe('"say" "hi" "now"*');
  });
});

describe('recovering jobs of a dead host process on this machine', () => {
  it('releases jobs of dead local pids only', async () => {
    const store = openStore(tempDir());
    await enqueue(store, '/s/dead.png', '/s/alive.png', '/s/remote.png', '/s/self.png', '/s/legacy.png');
    const self = { host: 'box', pid: 100 };
    const ids = [workerIdFor({ host: 'box', pid: 200 }, 1), workerIdFor({ host: 'box', pid: 300 }, 1), workerIdFor({ host: 'other', pid: 200 }, 1), workerIdFor(self, 4), 'worker-7'];
    for (const id of ids) await store.claim(id);
    expect(parseWorkerId(ids[0]!)).toEqual({ host: 'box', pid: 200 });
    const released = await releaseJobsOfDeadLocalHosts(store, self, silentLogger, (pid) => pid === 300);
    expect(released).toBe(1);
    expect(jobsOf(store).map((j) => [j.path, j.status, j.attempts])).toEqual([
      ['/s/alive.png', 'processing', 1],
      ['/s/dead.png', 'pending', 0],
      ['/s/legacy.png', 'processing', 1],
      ['/s/remote.png', 'processing', 1],
      ['/s/self.png', 'processing', 1],
    ]);
  });
});

describe('export paths', () => {
  it('mirrors absolute paths under the folder and refuses any that escape it', () => {
    const out = tempDir();
    expect(mirroredBase(out, '/scans/2024/a.png')).toBe(join(out, 'scans', '2024', 'a.png'));
    expect(mirroredBase(out, '/scans/../etc/x')).toBe(join(out, 'etc', 'x'));
    expect(mirroredBase(out, '/scans/../../etc/passwd')).toBeNull();
    expect(mirroredBase(out, '/')).toBeNull();
  });
});
