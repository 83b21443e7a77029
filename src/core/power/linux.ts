/**
 * The portable headless PowerSource for Linux: battery and AC from sysfs (sysfs.ts) under the
 * configured root (QUIRE_SYSFS_ROOT, default /sys, so tests point it at a fake tree), idle and lock
 * from systemd-logind (logind.ts). It announces no events: the controller polls it and notices
 * sleep by the gap in its own clock.
 */
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { LogindOptions } from './logind';
import { readLogind } from './logind';
import { readPowerSupply } from './sysfs';
import type { PowerSnapshot, PowerSource } from './types';

export interface LinuxPowerOptions extends LogindOptions {
  /** config.sysfs_root. */
  sysfsRoot: string;
  clock?: Clock;
  /**
   * After logind could not be asked, ask again only this much later (default 60 s): a machine
   * without it would otherwise spawn a failing loginctl on every poll.
   */
  logindRetryMs?: number;
}

export function createLinuxPowerSource(o: LinuxPowerOptions): PowerSource {
  const clock = o.clock ?? systemClock;
  const retryMs = o.logindRetryMs ?? 60_000;
  let logindDown: { until: number; unavailable: PowerSnapshot['unavailable'] } | null = null;

  const idle = async (now: number) => {
    if (logindDown && now < logindDown.until) return { idleSeconds: null, locked: null, unavailable: logindDown.unavailable };
    const r = await readLogind(now, o);
    logindDown = r.reachable ? null : { until: now + retryMs, unavailable: r.unavailable };
    return r;
  };

  return {
    async read(): Promise<PowerSnapshot> {
      const now = clock.now();
      const [battery, user] = await Promise.all([readPowerSupply(o.sysfsRoot), idle(now)]);
      return {
        onBattery: battery.onBattery,
        batteryPercent: battery.batteryPercent,
        idleSeconds: user.idleSeconds,
        locked: user.locked,
        unavailable: { ...battery.unavailable, ...user.unavailable },
      };
    },
  };
}
