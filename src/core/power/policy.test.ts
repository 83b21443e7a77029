import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { PolicyInput, PowerSettings } from './policy';
import { decide } from './policy';
import { parseSchedule } from '../config/schedule';
import type { Schedule } from '../config/schedule';
import type { PowerSnapshot } from './types';

function schedule(text: string): Schedule {
  const s = parseSchedule(text);
  if (typeof s === 'string') throw new Error(s);
  return s;
}

const DEFAULTS: PowerSettings = {
  batteryMode: 'one-worker',
  batteryPausePercent: 20,
  idleMinutes: 2,
  activeMaxWorkers: 2,
  schedule: schedule('always'),
  outsideSchedule: 'limited',
  onlyWhenIdle: false,
};

/** On AC, idle for an hour, screen unlocked. */
const IDLE_ON_AC: PowerSnapshot = { onBattery: false, batteryPercent: 100, idleSeconds: 3600, locked: false, unavailable: {} };

// Monday 12 January 2026, 12:00 local time.
const clock = new ManualClock(new Date(2026, 0, 12, 12, 0).getTime());

function run(over: { settings?: Partial<PowerSettings>; snapshot?: Partial<PowerSnapshot> } & Partial<Omit<PolicyInput, 'settings' | 'snapshot'>> = {}) {
  return decide({
    now: clock.now(),
    cores: 4,
    fullWorkers: 4,
    override: false,
    ...over,
    settings: { ...DEFAULTS, ...over.settings },
    snapshot: { ...IDLE_ON_AC, ...over.snapshot },
  });
}

describe('power policy', () => {
  it('runs at full speed on AC while nobody uses the machine, with no reason', () => {
    expect(run()).toEqual({ workersAllowed: 4, fullWorkers: 4, throttleReason: null, overridden: null });
  });

  describe('on battery', () => {
    it('one worker by default, naming the charge', () => {
      const d = run({ snapshot: { onBattery: true, batteryPercent: 43 } });
      expect(d.workersAllowed).toBe(1);
      expect(d.throttleReason).toBe('1 of 4 workers: on battery (43%)');
    });

    it('pauses below the battery level, and not at it', () => {
      expect(run({ snapshot: { onBattery: true, batteryPercent: 19 } })).toMatchObject({
        workersAllowed: 0,
        throttleReason: 'paused: battery low (19%, pauses below 20%)',
      });
      expect(run({ snapshot: { onBattery: true, batteryPercent: 20 } }).workersAllowed).toBe(1);
      // The level pauses whatever the mode says, full speed included.
      expect(run({ settings: { batteryMode: 'full' }, snapshot: { onBattery: true, batteryPercent: 5 } }).workersAllowed).toBe(0);
      // A level of 0 never pauses for the charge.
      expect(run({ settings: { batteryPausePercent: 0 }, snapshot: { onBattery: true, batteryPercent: 1 } }).workersAllowed).toBe(1);
    });

    it('pause and full speed modes', () => {
      expect(run({ settings: { batteryMode: 'pause' }, snapshot: { onBattery: true, batteryPercent: 80 } })).toMatchObject({
        workersAllowed: 0,
        throttleReason: 'paused: on battery (80%)',
      });
      expect(run({ settings: { batteryMode: 'full' }, snapshot: { onBattery: true, batteryPercent: 80 } })).toMatchObject({
        workersAllowed: 4,
        throttleReason: null,
      });
    });

    it('without a known charge: the mode still applies, the level cannot', () => {
      expect(run({ snapshot: { onBattery: true, batteryPercent: null } }).throttleReason).toBe('1 of 4 workers: on battery');
    });

    it('a charging battery below the level does not pause: the machine is on AC', () => {
      expect(run({ snapshot: { onBattery: false, batteryPercent: 5 } }).workersAllowed).toBe(4);
    });

    it('unknown power state applies no battery rule', () => {
      expect(run({ snapshot: { onBattery: null, batteryPercent: 10 } }).workersAllowed).toBe(4);
    });

    it('one worker on a one-worker host is no throttle', () => {
      expect(run({ fullWorkers: 1, snapshot: { onBattery: true, batteryPercent: 43 } })).toMatchObject({ workersAllowed: 1, throttleReason: null });
    });
  });

  describe('while the machine is in use', () => {
    it('at most active_max_workers when input came within idle_minutes', () => {
      expect(run({ snapshot: { idleSeconds: 30 } })).toMatchObject({
        workersAllowed: 2,
        throttleReason: '2 of 4 workers: in use (keyboard or mouse in the last 2 min)',
      });
      expect(run({ snapshot: { idleSeconds: 119 } }).workersAllowed).toBe(2);
      expect(run({ snapshot: { idleSeconds: 120 } }).workersAllowed).toBe(4);
      expect(run({ settings: { idleMinutes: 1 }, snapshot: { idleSeconds: 30 } }).throttleReason).toBe(
        '2 of 4 workers: in use (keyboard or mouse in the last minute)',
      );
    });

    it('a locked screen counts as idle whatever the idle timer says', () => {
      expect(run({ snapshot: { idleSeconds: 0, locked: true } }).workersAllowed).toBe(4);
    });

    it('unknown idle time applies no in-use rule', () => {
      expect(run({ snapshot: { idleSeconds: null, locked: null } }).workersAllowed).toBe(4);
    });

    it('a cap at or above the full count is no throttle', () => {
      expect(run({ settings: { activeMaxWorkers: 8 }, snapshot: { idleSeconds: 0 } })).toMatchObject({ workersAllowed: 4, throttleReason: null });
    });

    it('only when idle: pauses while in use, full speed when idle, and pauses saying why when idle time is unknown', () => {
      const settings = { onlyWhenIdle: true };
      expect(run({ settings, snapshot: { idleSeconds: 10 } })).toMatchObject({
        workersAllowed: 0,
        throttleReason: 'paused: in use (keyboard or mouse in the last 2 min), runs only when idle',
      });
      expect(run({ settings, snapshot: { idleSeconds: 600 } }).workersAllowed).toBe(4);
      expect(run({ settings, snapshot: { idleSeconds: 0, locked: true } }).workersAllowed).toBe(4);
      expect(run({ settings, snapshot: { idleSeconds: null, locked: null } })).toMatchObject({
        workersAllowed: 0,
        throttleReason: 'paused: runs only when idle, and idle time is not available here',
      });
    });
  });

  describe('on a schedule', () => {
    const weekdayNights = schedule('mon-fri 19:00-07:00; sat,sun all');

    it('outside the schedule: limited to active_max_workers by default, saying when full speed starts', () => {
      expect(run({ settings: { schedule: weekdayNights } })).toMatchObject({
        workersAllowed: 2,
        throttleReason: '2 of 4 workers: outside the schedule (full speed from 19:00)',
      });
    });

    it('outside the schedule: paused when outside_schedule is pause', () => {
      expect(run({ settings: { schedule: weekdayNights, outsideSchedule: 'pause' } })).toMatchObject({
        workersAllowed: 0,
        throttleReason: 'paused: outside the schedule (runs from 19:00)',
      });
    });

    it('inside the schedule: full speed; the fake clock moves through the week', () => {
      const c = new ManualClock(new Date(2026, 0, 12, 19, 0).getTime());
      expect(run({ now: c.now(), settings: { schedule: weekdayNights } }).workersAllowed).toBe(4);
      c.set(new Date(2026, 0, 13, 7, 0).getTime()); // Tuesday 07:00: the night window is over
      expect(run({ now: c.now(), settings: { schedule: weekdayNights } }).throttleReason).toBe('2 of 4 workers: outside the schedule (full speed from 19:00)');
      c.set(new Date(2026, 0, 17, 6, 59).getTime()); // Saturday 06:59: still Friday night's window
      expect(run({ now: c.now(), settings: { schedule: schedule('mon-fri 19:00-07:00') } }).workersAllowed).toBe(4);
      c.set(new Date(2026, 0, 17, 12, 0).getTime()); // Saturday noon
      expect(run({ now: c.now(), settings: { schedule: weekdayNights } }).workersAllowed).toBe(4);
    });
  });

  describe('several rules at once', () => {
    it('the lowest cap wins and gives its reason', () => {
      expect(run({ snapshot: { onBattery: true, batteryPercent: 43, idleSeconds: 5 } }).throttleReason).toBe('1 of 4 workers: on battery (43%)');
      expect(
        run({ settings: { schedule: schedule('mon-fri 19:00-07:00'), outsideSchedule: 'pause' }, snapshot: { onBattery: true, batteryPercent: 43 } }).throttleReason,
      ).toBe('paused: outside the schedule (runs from 19:00)');
    });

    it('rules that bind equally are all named', () => {
      expect(run({ settings: { schedule: schedule('mon-fri 19:00-07:00') }, snapshot: { idleSeconds: 5 } }).throttleReason).toBe(
        '2 of 4 workers: outside the schedule (full speed from 19:00); in use (keyboard or mouse in the last 2 min)',
      );
    });

    it('the full count is capped at the cores', () => {
      expect(run({ cores: 2, fullWorkers: 4, snapshot: { onBattery: true, batteryPercent: 43 } })).toMatchObject({
        workersAllowed: 1,
        fullWorkers: 2,
        throttleReason: '1 of 2 workers: on battery (43%)',
      });
    });
  });

  describe('"run at full speed now"', () => {
    it('lifts every throttle and keeps what it lifted for the UI', () => {
      expect(run({ override: true, snapshot: { onBattery: true, batteryPercent: 5, idleSeconds: 0 } })).toEqual({
        workersAllowed: 4,
        fullWorkers: 4,
        throttleReason: null,
        overridden: 'paused: battery low (5%, pauses below 20%)',
      });
    });

    it('with nothing to lift it changes nothing', () => {
      expect(run({ override: true })).toEqual({ workersAllowed: 4, fullWorkers: 4, throttleReason: null, overridden: null });
    });
  });
});
