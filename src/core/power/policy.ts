/**
 * How many OCR workers may run now: a pure function of the settings, a power reading, the time,
 * the machine and the user's "run at full speed now". Each rule that applies caps the count; the
 * lowest cap wins and its reason is what the Dashboard, the tray, `quire stats` and the API show,
 * e.g. "1 of 4 workers: on battery (43%)". At full speed the reason is null.
 *
 * Rules (each off or on through Settings):
 * - on battery: pause, one worker, or full speed (battery_mode); below battery_pause_percent: pause;
 * - outside the schedule: at most active_max_workers, or pause (outside_schedule);
 * - in use (keyboard or mouse within idle_minutes, screen not locked): at most active_max_workers,
 *   or pause with only_when_idle.
 * A signal the machine does not report is not guessed: unknown battery state applies no battery
 * rule and unknown idle time no in-use rule, except that only_when_idle cannot be honoured without
 * idle time, so it pauses and says why.
 */
import type { Schedule } from '../config/schedule';
import { describeWhen, inSchedule, nextScheduleStart } from '../config/schedule';
import type { PowerSnapshot } from './types';

import type { BatteryMode, OutsideSchedule } from '../config/schedule';

export type { BatteryMode, OutsideSchedule };

export interface PowerSettings {
  batteryMode: BatteryMode;
  /** Pause on battery below this charge (percent); 0 never pauses for the level. */
  batteryPausePercent: number;
  /** Keyboard or mouse input within this many minutes means the machine is in use. */
  idleMinutes: number;
  /** Workers while the machine is in use (and outside the schedule when limited). */
  activeMaxWorkers: number;
  schedule: Schedule;
  outsideSchedule: OutsideSchedule;
  /** Run only while the machine is idle (pause while it is in use). */
  onlyWhenIdle: boolean;
}

export interface PolicyInput {
  settings: PowerSettings;
  snapshot: PowerSnapshot;
  /** Epoch milliseconds (the injected clock). */
  now: number;
  cores: number;
  /** Workers at full speed: concurrent_ocr_jobs, or a host's fixed --concurrency. */
  fullWorkers: number;
  /** "Run at full speed now", for the current batch. */
  override: boolean;
}

export interface PowerDecision {
  workersAllowed: number;
  /** The full-speed count the decision is measured against ("1 of 4 workers"). */
  fullWorkers: number;
  /** Why fewer than fullWorkers may run; null at full speed. */
  throttleReason: string | null;
  /** While the override is on: the throttle it lifts, so the UI can say what it overrides. */
  overridden: string | null;
}

interface Cap {
  workers: number;
  why: string;
}

function minutes(n: number): string {
  return n === 1 ? 'the last minute' : `the last ${n} min`;
}

function caps(input: PolicyInput): Cap[] {
  const { settings: s, snapshot: snap, now } = input;
  const out: Cap[] = [];

  if (snap.onBattery === true) {
    const pct = snap.batteryPercent;
    const on = pct === null ? 'on battery' : `on battery (${pct}%)`;
    if (pct !== null && pct < s.batteryPausePercent) {
      out.push({ workers: 0, why: `battery low (${pct}%, pauses below ${s.batteryPausePercent}%)` });
    } else if (s.batteryMode === 'pause') {
      out.push({ workers: 0, why: on });
    } else if (s.batteryMode === 'one-worker') {
      out.push({ workers: 1, why: on });
    }
  }

  if (!inSchedule(s.schedule, now)) {
    const next = nextScheduleStart(s.schedule, now);
    const from = next === null ? '' : ` from ${describeWhen(next, now)}`;
    if (s.outsideSchedule === 'pause') out.push({ workers: 0, why: `outside the schedule (runs${from})` });
    else out.push({ workers: s.activeMaxWorkers, why: `outside the schedule (full speed${from})` });
  }

  // A locked screen means nobody is at the machine, whatever the idle timer says.
  const idleFor = snap.locked === true ? Infinity : snap.idleSeconds;
  const inUse = idleFor !== null && idleFor < s.idleMinutes * 60;
  if (s.onlyWhenIdle) {
    if (idleFor === null) out.push({ workers: 0, why: 'runs only when idle, and idle time is not available here' });
    else if (inUse) out.push({ workers: 0, why: `in use (keyboard or mouse in ${minutes(s.idleMinutes)}), runs only when idle` });
  } else if (inUse) {
    out.push({ workers: s.activeMaxWorkers, why: `in use (keyboard or mouse in ${minutes(s.idleMinutes)})` });
  }
  return out;
}

export function decide(input: PolicyInput): PowerDecision {
  const full = Math.max(0, Math.min(Math.floor(input.fullWorkers), Math.max(1, input.cores)));
  const binding = caps(input)
    .map((c) => ({ workers: Math.max(0, Math.min(Math.floor(c.workers), full)), why: c.why }))
    .filter((c) => c.workers < full);
  if (binding.length === 0) return { workersAllowed: full, fullWorkers: full, throttleReason: null, overridden: null };
  const allowed = Math.min(...binding.map((c) => c.workers));
  const why = binding
    .filter((c) => c.workers === allowed)
    .map((c) => c.why)
    .join('; ');
  const reason = allowed === 0 ? `paused: ${why}` : `${allowed} of ${full} workers: ${why}`;
  if (input.override) return { workersAllowed: full, fullWorkers: full, throttleReason: null, overridden: reason };
  return { workersAllowed: allowed, fullWorkers: full, throttleReason: reason, overridden: null };
}
