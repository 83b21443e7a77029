/**
 * The app's PowerSource with a stand-in for Electron's powerMonitor (electron cannot run here; its
 * types still check the calls). The Linux path reads a fake sysfs tree through the real reader.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PowerMonitor } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLinuxPowerSource } from '../core/power/linux';
import { laptopOnAc, laptopOnBattery } from '../../test/support/fake-sysfs';
import type { PowerEvent } from '../core/power/types';
import { createElectronPowerSource } from './power';

class FakePowerMonitor extends EventEmitter {
  idle = 0;
  state: 'active' | 'idle' | 'locked' | 'unknown' = 'active';
  battery = false;
  getSystemIdleTime() {
    return this.idle;
  }
  getSystemIdleState(_threshold: number) {
    return this.state;
  }
  isOnBatteryPower() {
    return this.battery;
  }
}

let pm: FakePowerMonitor;
let root: string;
beforeEach(() => {
  pm = new FakePowerMonitor();
  root = mkdtempSync(join(tmpdir(), 'quire-electron-power-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const monitor = () => pm as unknown as PowerMonitor;

describe('Electron power source', () => {
  it('macOS/Windows: on battery and idle time from powerMonitor; the level is said to be missing', async () => {
    const source = createElectronPowerSource({ powerMonitor: monitor(), platform: 'darwin' });
    pm.battery = true;
    pm.idle = 42;
    expect(await source.read()).toEqual({
      onBattery: true,
      batteryPercent: null,
      idleSeconds: 42,
      locked: false,
      unavailable: { batteryPercent: 'the battery level is not available here: Electron does not report it on macOS' },
    });
    pm.state = 'locked';
    expect((await source.read()).locked).toBe(true);
  });

  it('lock-screen and unlock-screen set the lock state and ask for a check at once', async () => {
    const source = createElectronPowerSource({ powerMonitor: monitor(), platform: 'win32' });
    const events: PowerEvent[] = [];
    const off = source.subscribe!((e) => events.push(e));
    pm.emit('lock-screen');
    expect((await source.read()).locked).toBe(true);
    pm.emit('unlock-screen');
    expect((await source.read()).locked).toBe(false);
    pm.emit('on-battery');
    pm.emit('on-ac');
    pm.emit('suspend');
    pm.emit('resume');
    expect(events).toEqual(['change', 'change', 'change', 'change', 'suspend', 'resume']);
    off();
    expect(['suspend', 'resume', 'on-ac', 'on-battery', 'lock-screen', 'unlock-screen'].map((e) => pm.listenerCount(e))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('idle state unknown: idle time and lock are said to be missing, not taken as 0', async () => {
    const source = createElectronPowerSource({ powerMonitor: monitor(), platform: 'win32' });
    pm.state = 'unknown';
    const r = await source.read();
    expect(r.idleSeconds).toBeNull();
    expect(r.locked).toBeNull();
    expect(r.unavailable.idleSeconds).toBe('idle time is not available here: the system does not report it to Electron on Windows');
  });

  it("Linux: battery and AC from sysfs (Electron's isOnBatteryPower is a stub there), idle from Electron", async () => {
    // The Linux reader with a loginctl that does not exist: its lock state is unknown, with the reason.
    const linux = createLinuxPowerSource({ sysfsRoot: root, loginctl: join(root, 'no-loginctl') });
    const source = createElectronPowerSource({ powerMonitor: monitor(), platform: 'linux', linux });
    pm.battery = false; // what Chromium says on Linux whatever the truth
    pm.idle = 7;
    laptopOnBattery(root, 43);
    const r = await source.read();
    expect(r).toMatchObject({ onBattery: true, batteryPercent: 43, idleSeconds: 7, locked: null });
    expect(r.unavailable.locked).toMatch(/^the lock state is not available here: .*no-loginctl is not installed/);
    laptopOnAc(root, 44);
    expect(await source.read()).toMatchObject({ onBattery: false, batteryPercent: 44 });
    pm.state = 'locked';
    const locked = await source.read();
    expect(locked.locked).toBe(true);
    expect(locked.unavailable.locked).toBeUndefined();
  });

  it('Linux without the sysfs reader: battery unknown, with the reason', async () => {
    const source = createElectronPowerSource({ powerMonitor: monitor(), platform: 'linux' });
    const r = await source.read();
    expect(r.onBattery).toBeNull();
    expect(r.unavailable.onBattery).toBe('battery state is not available: Electron does not report it on Linux');
  });
});
