/**
 * Picks this machine's headless PowerSource. The Electron app passes its own (src/main/power.ts).
 */
import type { Clock } from '../clock';
import { createLinuxPowerSource } from './linux';
import type { PowerSource } from './types';
import { unknownSnapshot } from './types';

export type { PowerEvent, PowerSignal, PowerSnapshot, PowerSource } from './types';
export { decide } from './policy';
export type { PolicyInput, PowerDecision, PowerSettings } from './policy';
export { createPowerController } from './controller';
export type { PowerController, PowerControllerOptions, PowerStatus, ResumeInfo } from './controller';
export { createLinuxPowerSource } from './linux';
export { powerSettings } from './settings';

export interface HeadlessPowerOptions {
  /** config.sysfs_root (QUIRE_SYSFS_ROOT). */
  sysfsRoot: string;
  platform?: NodeJS.Platform;
  clock?: Clock;
}

const OS_NAMES: Partial<Record<NodeJS.Platform, string>> = { darwin: 'macOS', win32: 'Windows' };

/** A source that knows nothing, with the reason (macOS and Windows without the desktop app). */
export function unavailablePowerSource(reason: string): PowerSource {
  return { read: async () => unknownSnapshot(reason) };
}

export function createHeadlessPowerSource(o: HeadlessPowerOptions): PowerSource {
  const platform = o.platform ?? process.platform;
  if (platform === 'linux') return createLinuxPowerSource({ sysfsRoot: o.sysfsRoot, clock: o.clock });
  const name = OS_NAMES[platform] ?? platform;
  return unavailablePowerSource(`the command-line and server hosts do not read power or idle state on ${name} (the desktop app does)`);
}
