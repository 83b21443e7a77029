/**
 * The host applies the power policy to its pool: it starts at the allowed size, says why in the
 * API and the stats (for other processes too), applies a settings change and a source's change
 * at once, lifts every limit on "run at full speed now" until the queue has nothing left to do,
 * and renews its leases at once when the machine wakes. The source is a fake; the pool runs the
 * real worker loop in memory with the scripted engine.
 */
import { availableParallelism } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers';
import { createMemorySpawner, memoryWorker } from '../../../test/support/memory-spawner';
import { createScriptedEngine } from '../../../test/support/scripted-engine';
import type { PowerEvent, PowerSnapshot, PowerSource } from '../power';
import { type Host, openHost } from '.';

function fakeSource(initial: Partial<PowerSnapshot>) {
  let snap: PowerSnapshot = { onBattery: false, batteryPercent: null, idleSeconds: null, locked: null, unavailable: {}, ...initial };
  let listener: ((e: PowerEvent) => void) | null = null;
  const source: PowerSource = {
    read: async () => snap,
    subscribe(l) {
      listener = l;
      return () => (listener = null);
    },
  };
  return {
    source,
    set(next: Partial<PowerSnapshot>) {
      snap = { ...snap, ...next };
      listener?.('change');
    },
    announce(e: PowerEvent) {
      listener?.(e);
    },
  };
}

const hour = 3_600_000;
let host: Host | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

async function open(source: PowerSource) {
  const spawner = createMemorySpawner(memoryWorker(async (_name, proc) => createScriptedEngine({ crash: proc.crash, spin: () => new Promise(() => {}), grow: () => new Promise(() => {}), bomb: () => new Promise(() => {}) })));
  const root = tempDir('quire-host-power-');
  // No polls and no heartbeats on their own: whatever happens here is caused by the test's step.
  const h = await openHost({
    dataDir: join(root, 'data'),
    env: { QUIRE_ACTIVE_MAX_WORKERS: '64' },
    spawner,
    engine: 'scripted',
    // Two at full speed (as --concurrency 2); a count set through the API replaces it.
    workers: { concurrency: 2 },
    power: source,
    tuning: { configRefreshMs: hour, pool: { heartbeatMs: hour, idlePollMs: 50 } },
  });
  host = h;
  return { h, root };
}

/** Scripted files (test/support/scripted-engine.ts), queued. */
async function enqueue(h: Host, dir: string, scripts: Record<string, string>) {
  const files = Object.entries(scripts).map(([name, body]) => {
    const path = join(dir, name);
    writeFileSync(path, `name ${name}\n${body}\n`);
    return { path, size: 1, mtimeMs: 1, kind: 'image/png' };
  });
  await h.quire.store.enqueueBatch(files);
}

describe('the host follows the power policy', () => {
  it('needs 2 cores', () => {
    expect(availableParallelism(), 'these tests need 2 cores: the pool is capped at the core count').toBeGreaterThanOrEqual(2);
  });

  it('starts at the allowed size, says why, applies settings and changes at once, and withdraws on close', async () => {
    const power = fakeSource({ onBattery: true, batteryPercent: 43 });
    const { h } = await open(power.source);
    expect(h.pool!.concurrency).toBe(1);
    expect(h.pool!.stats().workers).toBeLessThanOrEqual(1);
    expect(await h.handlers.power()).toMatchObject({ workersAllowed: 1, fullWorkers: 2, throttleReason: '1 of 2 workers: on battery (43%)', override: false, onBattery: true, batteryPercent: 43 });
    expect(await h.quire.store.stats()).toMatchObject({ workersAllowed: 1, throttleReason: '1 of 2 workers: on battery (43%)' });

    // A saved power setting applies now, not at the next poll (an hour away here).
    const events: string[] = [];
    h.subscribe((m) => events.push(m.event));
    await h.handlers.updateSettings({ values: { battery_mode: 'pause' } });
    expect(await h.handlers.power()).toMatchObject({ workersAllowed: 0, throttleReason: 'paused: on battery (43%)' });
    expect(h.pool!.concurrency).toBe(0);
    await expect.poll(async () => (await h.quire.store.stats()).throttleReason).toBe('paused: on battery (43%)');
    expect(events).toContain('statsChanged');

    // The source announces AC: full speed at once.
    power.set({ onBattery: false, batteryPercent: 80 });
    await expect.poll(() => h.pool!.concurrency).toBe(2);
    expect(await h.handlers.power()).toMatchObject({ workersAllowed: 2, throttleReason: null });

    // A count set through the API is the full-speed count the policy works from.
    power.set({ onBattery: true, batteryPercent: 43 });
    await h.handlers.updateSettings({ values: { battery_mode: 'one-worker' } });
    await h.handlers.setConcurrency({ value: 1 });
    expect(await h.handlers.power()).toMatchObject({ workersAllowed: 1, fullWorkers: 1, throttleReason: null });

    await h.close();
    host = null;
    const { createQuire } = await import('../app');
    const q = createQuire({ dataDir: h.quire.dataDir, env: {} });
    expect((await q.store.stats()).hosts).toEqual([]);
    await q.close();
  });

  it('"run at full speed now" lifts the limits until the queue has nothing left, then ends by itself', async () => {
    const power = fakeSource({ onBattery: true, batteryPercent: 43 });
    const { h, root } = await open(power.source);
    expect(h.pool!.concurrency).toBe(1);
    const on = await h.handlers.runFullSpeedNow();
    expect(on).toMatchObject({ workersAllowed: 2, throttleReason: null, override: true, overridden: '1 of 2 workers: on battery (43%)' });
    expect(h.pool!.concurrency).toBe(2);
    expect(await h.quire.store.stats()).toMatchObject({ workersAllowed: 2, throttleReason: null });

    // Ended by hand.
    expect(await h.handlers.endFullSpeed()).toMatchObject({ workersAllowed: 1, override: false, overridden: null });

    // Ended by the batch finishing: two files in, both done, the throttle is back.
    await h.handlers.runFullSpeedNow();
    await enqueue(h, root, { 'a.png': 'delay 50', 'b.png': 'delay 50' });
    await expect.poll(async () => (await h.quire.store.stats()).completed, { timeout: 10_000 }).toBe(2);
    await expect.poll(async () => (await h.handlers.power()).override, { timeout: 10_000 }).toBe(false);
    expect(await h.handlers.power()).toMatchObject({ workersAllowed: 1, throttleReason: '1 of 2 workers: on battery (43%)' });
  });

  it('renews the leases of running jobs as soon as the machine wakes', async () => {
    const power = fakeSource({ onBattery: false });
    const { h, root } = await open(power.source);
    await enqueue(h, root, { 'slow.png': 'delay 60000' });
    const running = async () => (await h.quire.store.stats()).in_progress[0] ?? null;
    await expect.poll(running, { timeout: 10_000 }).toBeTruthy();
    const before = (await running())!.heartbeatAt!;
    await new Promise((r) => setTimeout(r, 20));
    // Heartbeats are an hour apart here: only the wake-up renews the lease.
    power.announce('suspend');
    power.announce('resume');
    await expect.poll(async () => (await running())?.heartbeatAt ?? 0, { timeout: 10_000 }).toBeGreaterThan(before);
  });

  it('takes back a job that stale recovery requeued while the machine slept, and finishes it at the same attempt', async () => {
    const power = fakeSource({ onBattery: false });
    const { h, root } = await open(power.source);
    await enqueue(h, root, { 'slept.png': 'delay 1500' });
    const running = async () => (await h.quire.store.stats()).in_progress[0] ?? null;
    await expect.poll(running, { timeout: 10_000 }).toBeTruthy();
    const { jobId } = (await running())!;
    // Asleep past the lease: another host's stale recovery requeues the job (counting the attempt).
    await new Promise((r) => setTimeout(r, 20));
    expect(await h.quire.store.recoverStale(1)).toEqual({ requeued: 1, failed: 0 });
    expect(await h.quire.store.getJob(jobId)).toMatchObject({ status: 'pending', errorKind: 'worker_crashed' });
    power.announce('suspend');
    power.announce('resume');
    await expect.poll(async () => (await h.quire.store.getJob(jobId))?.status, { timeout: 10_000 }).toBe('completed');
    expect(await h.quire.store.getJob(jobId)).toMatchObject({ attempts: 1, errorKind: null });
    expect(h.pool!.stats()).toMatchObject({ jobsCompleted: 1, restarts: 0, jobsRetried: 0 });
  });
});
