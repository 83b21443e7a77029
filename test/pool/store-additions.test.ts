import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mirroredBase } from '../../src/core/export/export';
import { currentHost, releaseJobsOfDeadLocalHosts, parseWorkerId, workerIdFor } from '../../src/core/pool/host-id';
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
  it('releases jobs of dead pids in this pid space only (same hostname, boot and pid namespace)', async () => {
    const store = openStore(tempDir());
    const paths = ['/s/dead.png', '/s/alive.png', '/s/remote.png', '/s/self.png', '/s/legacy.png', '/s/other-ns.png', '/s/old-id.png'];
    await enqueue(store, ...paths);
    const self = { host: 'box@b00t.4026531836', pid: 100 };
    const ids = [
      workerIdFor({ host: self.host, pid: 200 }, 1),
      workerIdFor({ host: self.host, pid: 300 }, 1),
      workerIdFor({ host: 'other@b00t.4026531836', pid: 200 }, 1),
      workerIdFor(self, 4),
      'worker-7',
      // The same hostname in another pid namespace (a container sharing the hostname): its pid 200 is not ours.
      workerIdFor({ host: 'box@b00t.4026532999', pid: 200 }, 1),
      // A worker id from before the key: its pid space is unknown, so it waits for its lease.
      'box/200/1',
    ];
    for (const id of ids) await store.claim(id);
    expect(parseWorkerId(ids[0]!)).toEqual({ host: self.host, pid: 200 });
    const released = await releaseJobsOfDeadLocalHosts(store, self, silentLogger, (pid) => pid === 300);
    expect(released).toBe(1);
    expect(jobsOf(store).map((j) => [j.path, j.status, j.attempts])).toEqual(
      [...paths].sort().map((p) => [p, p === '/s/dead.png' ? 'pending' : 'processing', p === '/s/dead.png' ? 0 : 1]),
    );
  });

  it('keys the host by boot id and pid namespace, or by a random key of its own where they cannot be read', () => {
    const facts = (ns: string, boot = '886e577a-80ca-482c-bd7d-0739c7f8d0a2') => ({ hostname: () => 'box', bootId: () => boot, pidNamespace: () => ns });
    expect(currentHost(facts('pid:[4026531836]'), 7)).toEqual({ host: 'box@886e577a80ca482c.4026531836', pid: 7 });
    expect(currentHost(facts('pid:[4026532999]'), 7).host).not.toBe(currentHost(facts('pid:[4026531836]'), 7).host);
    expect(currentHost(facts('pid:[4026531836]', 'ffff0000-80ca-482c-bd7d-0739c7f8d0a2'), 7).host).not.toBe(currentHost(facts('pid:[4026531836]'), 7).host);
    const none = { hostname: () => 'a/b@c', bootId: () => { throw new Error('ENOENT'); }, pidNamespace: () => { throw new Error('ENOENT'); } };
    expect(currentHost(none).host).toMatch(/^a_b_c@proc-[0-9a-f]{16}$/);
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
