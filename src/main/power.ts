/**
 * The app's PowerSource: Electron's powerMonitor (system idle time, on battery, suspend/resume,
 * lock screen), behind the same seam as the headless readers (src/core/power/types.ts). The caller
 * passes `powerMonitor` (usable once the app is ready), so this file imports electron's types only
 * and is tested with a stand-in.
 *
 * What Electron does not tell, and where it comes from instead:
 * - On Linux `isOnBatteryPower()` is Chromium's unimplemented stub (always false) and there are no
 *   on-ac/on-battery events: battery and AC come from the sysfs reader (`linuxBattery`).
 * - The battery level is not in powerMonitor on any platform: Linux reads it from sysfs; on macOS
 *   and Windows it is null with the reason, so the low-battery pause cannot apply there.
 * - lock-screen/unlock-screen fire on macOS and Windows only, where `getSystemIdleState` also says
 *   'locked'; on Linux a lock Chromium does not see is read from logind (the same Linux reader).
 */
import type { PowerMonitor } from 'electron';
import type { PowerEvent, PowerSnapshot, PowerSource } from '../core/power/types';

export interface ElectronPowerOptions {
  powerMonitor: PowerMonitor;
  platform?: NodeJS.Platform;
  /** Linux: the headless reader (createLinuxPowerSource) for battery, AC and the lock state. */
  linux?: PowerSource;
}

const OS_NAMES: Partial<Record<NodeJS.Platform, string>> = { darwin: 'macOS', win32: 'Windows', linux: 'Linux' };

export function createElectronPowerSource(o: ElectronPowerOptions): PowerSource {
  const pm = o.powerMonitor;
  const platform = o.platform ?? process.platform;
  const os = OS_NAMES[platform] ?? platform;
  // From lock-screen/unlock-screen; null until one of them fires.
  let lockedByEvent: boolean | null = null;

  const fromLinux = async (): Promise<PowerSnapshot> => {
    if (o.linux) return o.linux.read();
    const why = 'not available: Electron does not report it on Linux';
    return {
      onBattery: null,
      batteryPercent: null,
      idleSeconds: null,
      locked: null,
      unavailable: { onBattery: `battery state is ${why}`, batteryPercent: `the battery level is ${why}`, locked: `the lock state is ${why}` },
    };
  };

  return {
    async read(): Promise<PowerSnapshot> {
      const unavailable: PowerSnapshot['unavailable'] = {};
      // A threshold of 1 s: only 'locked' and 'unknown' matter here; the idle time itself is the number.
      const state = pm.getSystemIdleState(1);
      let idleSeconds: number | null = pm.getSystemIdleTime();
      if (state === 'unknown') {
        idleSeconds = null;
        unavailable.idleSeconds = `idle time is not available here: the system does not report it to Electron on ${os}`;
      }

      let onBattery: boolean | null;
      let batteryPercent: number | null;
      let locked: boolean | null;
      if (platform === 'linux') {
        const l = await fromLinux();
        onBattery = l.onBattery;
        batteryPercent = l.batteryPercent;
        locked = state === 'locked' ? true : l.locked;
        if (state === 'unknown') {
          // Chromium cannot read idle time under some Wayland compositors; logind may still say.
          idleSeconds = l.idleSeconds;
          if (idleSeconds !== null) delete unavailable.idleSeconds;
        }
        for (const k of ['onBattery', 'batteryPercent', 'locked'] as const) {
          const why = l.unavailable[k];
          if (why && (k !== 'locked' || locked === null)) unavailable[k] = why;
        }
      } else {
        onBattery = pm.isOnBatteryPower();
        batteryPercent = null;
        unavailable.batteryPercent = `the battery level is not available here: Electron does not report it on ${os}`;
        locked = state === 'locked' ? true : (lockedByEvent ?? (state === 'unknown' ? null : false));
        if (locked === null) unavailable.locked = `the lock state is not available here: the system does not report it to Electron on ${os}`;
      }
      return { onBattery, batteryPercent, idleSeconds, locked, unavailable };
    },

    subscribe(listener: (e: PowerEvent) => void): () => void {
      const onSuspend = () => listener('suspend');
      const onResume = () => listener('resume');
      const onChange = () => listener('change');
      const onLock = () => {
        lockedByEvent = true;
        listener('change');
      };
      const onUnlock = () => {
        lockedByEvent = false;
        listener('change');
      };
      pm.on('suspend', onSuspend);
      pm.on('resume', onResume);
      pm.on('on-ac', onChange);
      pm.on('on-battery', onChange);
      pm.on('lock-screen', onLock);
      pm.on('unlock-screen', onUnlock);
      return () => {
        pm.removeListener('suspend', onSuspend);
        pm.removeListener('resume', onResume);
        pm.removeListener('on-ac', onChange);
        pm.removeListener('on-battery', onChange);
        pm.removeListener('lock-screen', onLock);
        pm.removeListener('unlock-screen', onUnlock);
      };
    },
  };
}
