/**
 * TEST-ONLY: a fake Linux sysfs power_supply tree in a folder, for the sysfs reader's tests and for
 * process-level tests that point a `quire worker` at it with QUIRE_SYSFS_ROOT. Files are replaced
 * by rename, so a reader polling meanwhile sees the old or the new value, never an empty file.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type SupplyAttrs = Record<string, string | number>;

export function supplyDir(root: string, name: string): string {
  return join(root, 'class', 'power_supply', name);
}

/** Creates or updates one device: each attribute a file holding its value and a newline, as the kernel writes it. */
export function writeSupply(root: string, name: string, attrs: SupplyAttrs): string {
  const dir = supplyDir(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [attr, value] of Object.entries(attrs)) {
    const tmp = join(dir, `.${attr}.tmp`);
    writeFileSync(tmp, `${value}\n`);
    renameSync(tmp, join(dir, attr));
  }
  return dir;
}

export function removeSupply(root: string, name: string): void {
  rmSync(supplyDir(root, name), { recursive: true, force: true });
}

/** A laptop: AC adapter "AC" and battery "BAT0". */
export function laptopOnAc(root: string, percent = 100): void {
  writeSupply(root, 'AC', { type: 'Mains', online: 1 });
  writeSupply(root, 'BAT0', { type: 'Battery', present: 1, scope: 'System', status: percent >= 100 ? 'Full' : 'Charging', capacity: percent });
}

export function laptopOnBattery(root: string, percent: number): void {
  writeSupply(root, 'AC', { type: 'Mains', online: 0 });
  writeSupply(root, 'BAT0', { type: 'Battery', present: 1, scope: 'System', status: 'Discharging', capacity: percent });
}
