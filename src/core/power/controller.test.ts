import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../clock';
import { createLogger } from '../logger';
import type { PowerController, PowerControllerOptions, ResumeInfo } from './controller';
import { createPowerController } from './controller';
import type { PowerSettings } from './policy';
import { parseSchedule } from '../config/schedule';
import type { Schedule } from '../config/schedule';
import type { PowerEvent, PowerSnapshot, PowerSource } from './types';

const always = parseSchedule('always') as Schedule;
const SETTINGS: PowerSettings = {
  batteryMode: 'one-worker',
  batteryPausePercent: 20,
  idleMinutes: 2,
  activeMaxWorkers: 2,
  schedule: always,
  outsideSchedule: 'limited',
  onlyWhenIdle: false,
};

/** A power source tests set by hand; it can announce events like Electron's powerMonitor. */
class FakeSource implements PowerSource {
  snapshot: PowerSnapshot = { onBattery: false, batteryPercent: 100, idleSeconds: 3600, locked: false, unavailable: {} };
  reads = 0;
  listeners = new Set<(e: PowerEvent) => void>();
  async read() {
    this.reads++;
    return { ...this.snapshot };
  }
  subscribe(listener: (e: PowerEvent) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(e: PowerEvent) {
    for (const l of this.listeners) l(e);
  }
  set(p: Partial<PowerSnapshot>) {
    this.snapshot = { ...this.snapshot, ...p };
  }
}

let clock: ManualClock;
let source: FakeSource;
let applied: [number, string | null][];
let resumes: ResumeInfo[];
let settings: { power: PowerSettings; fullWorkers: number };
let controller: PowerController;
let logs: string[];

function make(over: Partial<PowerControllerOptions> = {}): PowerController {
  controller = createPowerController({
    source,
    clock,
    cores: 4,
    settings: () => settings,
    apply: (n, why) => void applied.push([n, why]),
    onResume: (info) => void resumes.push(info),
    pollMs: 5000,
    logger: createLogger({ sink: (l) => logs.push(`${l.level} ${l.msg}`) }),
    ...over,
  });
  return controller;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  clock = new ManualClock(new Date(2026, 0, 12, 12, 0).getTime());
  source = new FakeSource();
  applied = [];
  resumes = [];
  logs = [];
  settings = { power: SETTINGS, fullWorkers: 4 };
});
afterEach(() => {
  controller?.stop();
  vi.useRealTimers();
});

/** Let the next poll run: time moves on the clock and on the timers together. */
async function poll(ms = 5000) {
  clock.advance(ms);
  await vi.advanceTimersByTimeAsync(ms);
}

describe('power controller', () => {
  it('applies the first decision, then only changes, once each', async () => {
    make();
    await controller.start();
    expect(applied).toEqual([[4, null]]);
    await poll();
    await poll();
    expect(source.reads).toBe(3);
    expect(applied).toEqual([[4, null]]);

    source.set({ onBattery: true, batteryPercent: 43 });
    await poll();
    await poll();
    expect(applied).toEqual([
      [4, null],
      [1, '1 of 4 workers: on battery (43%)'],
    ]);

    source.set({ batteryPercent: 42 }); // same count, new reason: the UI shows the new charge
    await poll();
    source.set({ onBattery: false, batteryPercent: 42 });
    await poll();
    expect(applied.slice(2)).toEqual([
      [1, '1 of 4 workers: on battery (42%)'],
      [4, null],
    ]);
    expect(controller.status()).toMatchObject({ decision: { workersAllowed: 4, throttleReason: null }, override: false, at: clock.now() });
  });

  it('follows settings changed while it runs (the full count and the rules)', async () => {
    make();
    await controller.start();
    settings = { power: { ...SETTINGS, batteryMode: 'pause' }, fullWorkers: 2 };
    await poll();
    expect(applied.at(-1)).toEqual([2, null]);
    source.set({ onBattery: true, batteryPercent: 70 });
    await poll();
    expect(applied.at(-1)).toEqual([0, 'paused: on battery (70%)']);
  });

  it('a change the source announces is checked at once, not at the next poll', async () => {
    make();
    await controller.start();
    source.set({ onBattery: true, batteryPercent: 43 });
    source.emit('change');
    await vi.advanceTimersByTimeAsync(0);
    expect(applied.at(-1)).toEqual([1, '1 of 4 workers: on battery (43%)']);
  });

  describe('"run at full speed now"', () => {
    it('lifts the throttle until the queue goes idle, then the policy applies again', async () => {
      const statuses: boolean[] = [];
      make({ onStatus: (s) => statuses.push(s.override) });
      source.set({ onBattery: true, batteryPercent: 43 });
      await controller.start();
      expect(applied).toEqual([[1, '1 of 4 workers: on battery (43%)']]);

      const s = await controller.runFullSpeedNow();
      expect(s).toMatchObject({ override: true, decision: { workersAllowed: 4, throttleReason: null, overridden: '1 of 4 workers: on battery (43%)' } });
      expect(applied.at(-1)).toEqual([4, null]);
      await poll();
      expect(applied).toHaveLength(2); // still overridden at the next poll

      await controller.queueIdle();
      expect(applied.at(-1)).toEqual([1, '1 of 4 workers: on battery (43%)']);
      expect(controller.status()!.override).toBe(false);
      expect(statuses).toEqual([false, true, false]);
    });

    it('queue idle without an override changes nothing; endOverride ends it early', async () => {
      make();
      source.set({ idleSeconds: 10 });
      await controller.start();
      const reads = source.reads;
      await controller.queueIdle();
      expect(source.reads).toBe(reads);
      await controller.runFullSpeedNow();
      expect(applied.at(-1)).toEqual([4, null]);
      await controller.endOverride();
      expect(applied.at(-1)).toEqual([2, '2 of 4 workers: in use (keyboard or mouse in the last 2 min)']);
    });

    it('an override with nothing to lift applies nothing new but tells the UI', async () => {
      const statuses: boolean[] = [];
      make({ onStatus: (s) => statuses.push(s.override) });
      await controller.start();
      await controller.runFullSpeedNow();
      expect(applied).toEqual([[4, null]]);
      expect(statuses).toEqual([false, true]);
    });
  });

  describe('sleep and resume', () => {
    it('an announced resume calls the hook once with how long the machine slept, and re-reads at once', async () => {
      make();
      await controller.start();
      source.emit('suspend');
      clock.advance(3_600_000);
      source.set({ onBattery: true, batteryPercent: 43 }); // unplugged while asleep
      source.emit('resume');
      await vi.advanceTimersByTimeAsync(0);
      expect(resumes).toEqual([{ via: 'os', sleptMs: 3_600_000 }]);
      expect(applied.at(-1)).toEqual([1, '1 of 4 workers: on battery (43%)']);
      // The first poll after it sees the clock gap of the same sleep and does not call again.
      await poll();
      expect(resumes).toHaveLength(1);
    });

    it('a source that announces nothing: a poll far later than scheduled is a resume', async () => {
      make({ source: { read: () => source.read() } });
      await controller.start();
      await poll();
      expect(resumes).toEqual([]);
      // The machine sleeps 10 minutes: the wall clock moves on, the timer fires once when it wakes.
      clock.advance(600_000);
      await vi.advanceTimersByTimeAsync(5000);
      expect(resumes).toEqual([{ via: 'clock-gap', sleptMs: 595_000 }]);
      // A late poll within the margin (a busy event loop) is not a sleep.
      clock.advance(20_000);
      await vi.advanceTimersByTimeAsync(5000);
      clock.advance(31_000);
      await vi.advanceTimersByTimeAsync(5000);
      expect(resumes).toHaveLength(1);
    });

    it('a failing resume hook is logged and polling goes on', async () => {
      make({
        onResume: () => {
          throw new Error('store closed');
        },
      });
      await controller.start();
      source.emit('resume');
      await vi.advanceTimersByTimeAsync(0);
      expect(logs).toContain('warn the resume hook failed');
      source.set({ onBattery: true, batteryPercent: 50 });
      await poll();
      expect(applied.at(-1)).toEqual([1, '1 of 4 workers: on battery (50%)']);
    });
  });

  describe('failures never stop it', () => {
    it('unreadable settings keep the last decision; a failed apply is tried again', async () => {
      let broken = false;
      let failApply = false;
      make({
        settings: () => {
          if (broken) throw new Error('database is locked');
          return settings;
        },
        apply: (n, why) => {
          if (failApply) throw new Error('pool stopped');
          applied.push([n, why]);
        },
      });
      await controller.start();
      broken = true;
      source.set({ onBattery: true, batteryPercent: 43 });
      await poll();
      expect(applied).toEqual([[4, null]]);
      expect(logs).toContain('warn could not apply the power policy; keeping the last decision');

      await poll(); // the same failure again is not logged again
      expect(logs.filter((l) => l.startsWith('warn could not apply'))).toHaveLength(1);

      broken = false;
      failApply = true;
      await poll();
      expect(applied).toEqual([[4, null]]);
      // What the UI is told is what the pool was given.
      expect(controller.status()!.decision.workersAllowed).toBe(4);
      failApply = false;
      await poll();
      expect(applied).toEqual([
        [4, null],
        [1, '1 of 4 workers: on battery (43%)'],
      ]);
      expect(controller.status()!.decision.workersAllowed).toBe(1);
      expect(logs).toContain('info the power policy applies again');
    });
  });

  it('stop ends polling and listening', async () => {
    make();
    await controller.start();
    expect(source.listeners.size).toBe(1);
    controller.stop();
    expect(source.listeners.size).toBe(0);
    const reads = source.reads;
    await poll();
    await poll();
    expect(source.reads).toBe(reads);
    // Started again much later: a stopped controller's pause is not a sleep.
    clock.advance(600_000);
    await controller.start();
    await poll();
    expect(resumes).toEqual([]);
    expect(source.reads).toBe(reads + 2);
  });
});
