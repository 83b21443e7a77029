import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPowerSupply } from './sysfs';
import { laptopOnAc, laptopOnBattery, supplyDir, writeSupply } from '../../../test/support/fake-sysfs';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'quire-sysfs-'));
  mkdirSync(join(root, 'class', 'power_supply'), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('readPowerSupply (Linux sysfs)', () => {
  it('a battery discharging at 43% with the AC adapter offline', async () => {
    laptopOnBattery(root, 43);
    expect(await readPowerSupply(root)).toEqual({ onBattery: true, batteryPercent: 43, unavailable: {} });
  });

  it('AC online: not on battery, while the battery charges', async () => {
    laptopOnAc(root, 80);
    expect(await readPowerSupply(root)).toEqual({ onBattery: false, batteryPercent: 80, unavailable: {} });
  });

  it('follows the tree as it changes (unplugged, then plugged in again)', async () => {
    laptopOnAc(root, 90);
    expect((await readPowerSupply(root)).onBattery).toBe(false);
    laptopOnBattery(root, 89);
    expect(await readPowerSupply(root)).toMatchObject({ onBattery: true, batteryPercent: 89 });
    laptopOnAc(root, 89);
    expect((await readPowerSupply(root)).onBattery).toBe(false);
  });

  it('no battery at all (a desktop or a VM): never on battery, and the level says why it is missing', async () => {
    expect(await readPowerSupply(root)).toEqual({ onBattery: false, batteryPercent: null, unavailable: { batteryPercent: 'this machine has no battery' } });
    writeSupply(root, 'ACAD', { type: 'Mains', online: 1 });
    expect((await readPowerSupply(root)).onBattery).toBe(false);
  });

  it('no power_supply folder: both signals unknown, with the reason', async () => {
    rmSync(join(root, 'class'), { recursive: true });
    const r = await readPowerSupply(root);
    expect(r.onBattery).toBeNull();
    expect(r.batteryPercent).toBeNull();
    expect(r.unavailable.onBattery).toBe(`battery state is not available: ${join(root, 'class', 'power_supply')} cannot be read (ENOENT)`);
  });

  it('unreadable files cost only what depended on them', async () => {
    // Root reads through mode bits, so a file that cannot be read is made a folder (EISDIR) or a
    // symlink loop (ELOOP): both fail as a real EACCES or EIO would, with an error that is not ENOENT.
    laptopOnBattery(root, 43);
    rmSync(join(supplyDir(root, 'BAT0'), 'capacity'));
    mkdirSync(join(supplyDir(root, 'BAT0'), 'capacity'));
    const r = await readPowerSupply(root);
    expect(r.onBattery).toBe(true);
    expect(r.batteryPercent).toBeNull();
    expect(r.unavailable.batteryPercent).toBe('the battery level is not reported (cannot read BAT0/capacity: EISDIR)');

    // Status unreadable as well, and the adapter's online file a loop: nothing tells.
    rmSync(join(supplyDir(root, 'BAT0'), 'status'));
    mkdirSync(join(supplyDir(root, 'BAT0'), 'status'));
    rmSync(join(supplyDir(root, 'AC'), 'online'));
    symlinkSync('online', join(supplyDir(root, 'AC'), 'online'));
    const q = await readPowerSupply(root);
    expect(q.onBattery).toBeNull();
    expect(q.unavailable.onBattery).toBe(
      'whether the machine runs on battery is not known: the battery reports no status and no AC adapter says whether it is plugged in (cannot read AC/online: ELOOP, BAT0/status: EISDIR, BAT0/capacity: EISDIR)',
    );
  });

  it('a device whose type cannot be read might be a battery: unknown rather than "no battery"', async () => {
    mkdirSync(join(supplyDir(root, 'BAT0'), 'type'), { recursive: true });
    const r = await readPowerSupply(root);
    expect(r.onBattery).toBeNull();
    expect(r.unavailable.onBattery).toBe('battery state is not available (cannot read BAT0/type: EISDIR)');
  });

  it('ignores peripheral batteries (scope Device) and empty battery bays', async () => {
    writeSupply(root, 'hidpp_battery_0', { type: 'Battery', scope: 'Device', status: 'Discharging', capacity: 12 });
    writeSupply(root, 'BAT1', { type: 'Battery', present: 0, status: 'Unknown' });
    expect(await readPowerSupply(root)).toEqual({ onBattery: false, batteryPercent: null, unavailable: { batteryPercent: 'this machine has no battery' } });
  });

  it('reads devices through symlinks, as the real /sys/class/power_supply is laid out', async () => {
    writeSupply(root, '../../devices/LNXSYSTM/PNP0C0A/power_supply/BAT0', { type: 'Battery', status: 'Discharging', capacity: 61 });
    rmSync(supplyDir(root, 'BAT0'), { recursive: true, force: true });
    symlinkSync(join(root, 'devices', 'LNXSYSTM', 'PNP0C0A', 'power_supply', 'BAT0'), supplyDir(root, 'BAT0'));
    expect(await readPowerSupply(root)).toMatchObject({ onBattery: true, batteryPercent: 61 });
  });

  it('two batteries: the level weighs each by what it holds (energy, else charge)', async () => {
    writeSupply(root, 'AC', { type: 'Mains', online: 0 });
    writeSupply(root, 'BAT0', { type: 'Battery', status: 'Discharging', capacity: 40, energy_now: 9_000_000, energy_full: 30_000_000 });
    writeSupply(root, 'BAT1', { type: 'Battery', status: 'Unknown', capacity: 100, energy_now: 21_000_000, energy_full: 21_000_000 });
    expect(await readPowerSupply(root)).toMatchObject({ onBattery: true, batteryPercent: 59 }); // 30/51
    writeSupply(root, 'BAT0', { energy_now: 'x' }); // not a number: fall back to charge, then to capacity
    expect((await readPowerSupply(root)).batteryPercent).toBe(70); // (40 + 100) / 2
    writeSupply(root, 'BAT0', { charge_now: 1000, charge_full: 4000 });
    writeSupply(root, 'BAT1', { charge_now: 1000, charge_full: 1000 });
    expect((await readPowerSupply(root)).batteryPercent).toBe(40); // 2000/5000
  });

  it('a battery without capacity but with charge counters', async () => {
    writeSupply(root, 'BAT0', { type: 'Battery', status: 'Discharging', charge_now: 2_150_000, charge_full: 5_000_000 });
    expect(await readPowerSupply(root)).toMatchObject({ onBattery: true, batteryPercent: 43 });
  });

  it('USB-C power delivery online counts as AC; any online supply wins', async () => {
    writeSupply(root, 'ucsi-source-psy-USBC000:001', { type: 'USB', online: 1 });
    writeSupply(root, 'AC', { type: 'Mains', online: 0 });
    writeSupply(root, 'BAT0', { type: 'Battery', status: 'Charging', capacity: 50 });
    expect(await readPowerSupply(root)).toMatchObject({ onBattery: false, batteryPercent: 50 });
  });

  it('adapter offline but the battery not discharging (held at a charge threshold): on battery', async () => {
    writeSupply(root, 'AC', { type: 'Mains', online: 0 });
    writeSupply(root, 'BAT0', { type: 'Battery', status: 'Not charging', capacity: 80 });
    expect((await readPowerSupply(root)).onBattery).toBe(true);
  });

  it('no adapter listed: the battery status decides; Unknown is said, not guessed', async () => {
    writeSupply(root, 'BAT0', { type: 'Battery', status: 'Full', capacity: 100 });
    expect((await readPowerSupply(root)).onBattery).toBe(false);
    writeSupply(root, 'BAT0', { status: 'Unknown' });
    const r = await readPowerSupply(root);
    expect(r.onBattery).toBeNull();
    expect(r.batteryPercent).toBe(100);
    expect(r.unavailable.onBattery).toBe('whether the machine runs on battery is not known: the battery reports Unknown and no AC adapter says whether it is plugged in');
  });

  it('clamps odd capacities reported by firmware', async () => {
    writeSupply(root, 'BAT0', { type: 'Battery', status: 'Discharging', capacity: 104 });
    expect((await readPowerSupply(root)).batteryPercent).toBe(100);
  });
});
