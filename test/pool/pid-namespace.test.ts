/**
 * Two Quire hosts with one hostname in different pid namespaces (containers sharing a hostname and
 * a database), for real: a host started with `unshare --pid --fork --mount-proc` claims a job and
 * keeps running; a host here must not take it for a dead predecessor (its pid, small in its own
 * namespace, is no process here) and release it. A dead host in our own namespace still is
 * released at once. Needs root (unshare of a pid namespace), as CI has.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger';
import { currentHost, isPidAlive, parseWorkerId, releaseJobsOfDeadLocalHosts } from '../../src/core/pool/host-id';
import { REPO_ROOT, tempDir } from '../helpers';
import { openStore } from './harness';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const HOST = join(REPO_ROOT, 'test/pool/host-in-namespace.ts');
const running: ChildProcess[] = [];
afterEach(() => {
  for (const c of running.splice(0)) c.kill('SIGKILL');
});

/** A pid no process has here, from the top of the range (the kernel hands out low ones first after a wrap). */
function freePid(): number {
  const max = Number(readFileSync('/proc/sys/kernel/pid_max', 'latin1'));
  for (let pid = max - 1; pid > 1000; pid--) if (!isPidAlive(pid)) return pid;
  throw new Error('no free pid');
}

/** Start a holding host (in a new pid namespace when asked); resolves with its worker id once it has claimed. */
function startHost(dir: string, newNamespace: boolean): Promise<{ child: ChildProcess; workerId: string }> {
  const node = [process.execPath, '--import', TSX, HOST, dir];
  // In the new namespace the host gets a pid that no process has here (the next pid is set
  // through ns_last_pid), as a container's Quire would: pid 7 there, nothing or another program here.
  const argv = newNamespace
    ? ['unshare', '--pid', '--fork', '--mount-proc', '--kill-child', 'sh', '-c', `echo ${freePid() - 1} > /proc/sys/kernel/ns_last_pid; "$@"; :`, 'sh', ...node]
    : node;
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  running.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /claimed \S+ as (\S+) \(pid (\d+)\)/.exec(out);
      if (m) resolve({ child, workerId: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`the host exited (${code}) before claiming: ${out}`)));
  });
}

describe('host identity across pid namespaces', () => {
  it('a live host in another pid namespace with the same hostname keeps its job; a dead one in ours loses it at once', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    await store.enqueueBatch(['/s/theirs.png', '/s/ours.png'].map((path) => ({ path, size: 1, mtimeMs: 1, kind: 'image/png' })));

    const theirs = await startHost(dir, true);
    const owner = parseWorkerId(theirs.workerId)!;
    const self = currentHost();
    // The hazard is real: same hostname, and the pid it holds the job under is no live process here.
    expect(owner.host.split('@')[0]).toBe(self.host.split('@')[0]);
    expect(isPidAlive(owner.pid)).toBe(false);

    const ours = await startHost(dir, false);
    ours.child.kill('SIGKILL');
    await new Promise((r) => ours.child.once('exit', r));

    expect(await releaseJobsOfDeadLocalHosts(store, self, silentLogger)).toBe(1);
    const jobs = store.db.prepare('SELECT d.path, q.status, q.worker_id AS workerId FROM ocr_queue q JOIN documents d ON d.id = q.document_id ORDER BY d.path').all();
    expect(jobs).toEqual([
      { path: '/s/ours.png', status: 'pending', workerId: null },
      { path: '/s/theirs.png', status: 'processing', workerId: theirs.workerId },
    ]);
    await store.close();
  }, 60_000);
});
