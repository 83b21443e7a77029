/** The power settings as the policy wants them, from the resolved (already validated) config. */
import type { Config } from '../config/config';
import type { BatteryMode, OutsideSchedule, PowerSettings } from './policy';
import { parseSchedule } from '../config/schedule';

export function powerSettings(config: Config): PowerSettings {
  const schedule = parseSchedule(config.ocr_schedule);
  // The config module refused an invalid schedule already; a string here is a bug, so fail loudly.
  if (typeof schedule === 'string') throw new Error(`ocr_schedule passed validation but does not parse: ${schedule}`);
  return {
    batteryMode: config.battery_mode as BatteryMode,
    batteryPausePercent: config.battery_pause_percent,
    idleMinutes: config.idle_minutes,
    activeMaxWorkers: config.active_max_workers,
    schedule,
    outsideSchedule: config.outside_schedule as OutsideSchedule,
    onlyWhenIdle: config.only_when_idle,
  };
}
