/** The power settings in the one config module: defaults, validation messages, persistence. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createQuire } from '../app';
import type { Quire } from '../app';
import { CORES, parseSettingValue, resolveConfig, validateSettingValue } from '../config/config';
import { inSchedule } from '../config/schedule';
import { powerSettings } from './settings';

describe('power settings', () => {
  it('defaults: one worker on battery, pause below 20%, in use = input in the last 2 min, half the cores while in use, no schedule', () => {
    const { config, settings } = resolveConfig({}, {});
    expect(config).toMatchObject({
      battery_mode: 'one-worker',
      battery_pause_percent: 20,
      idle_minutes: 2,
      active_max_workers: Math.max(1, Math.floor(CORES / 2)),
      ocr_schedule: 'always',
      outside_schedule: 'limited',
      only_when_idle: false,
      sysfs_root: '/sys',
    });
    const p = powerSettings(config);
    expect(p).toMatchObject({
      batteryMode: 'one-worker',
      batteryPausePercent: 20,
      idleMinutes: 2,
      activeMaxWorkers: Math.max(1, Math.floor(CORES / 2)),
      outsideSchedule: 'limited',
      onlyWhenIdle: false,
    });
    expect(p.schedule.always).toBe(true);
    expect(settings.find((s) => s.key === 'sysfs_root')).toMatchObject({ persisted: false, env: 'QUIRE_SYSFS_ROOT' });
    expect(settings.filter((s) => s.persisted).map((s) => s.key)).toEqual(
      expect.arrayContaining(['battery_mode', 'battery_pause_percent', 'idle_minutes', 'active_max_workers', 'ocr_schedule', 'outside_schedule', 'only_when_idle']),
    );
  });

  it('the environment sets them for one run; QUIRE_SYSFS_ROOT is environment only', () => {
    const { config } = resolveConfig(
      { battery_mode: 'full', sysfs_root: '/ignored' },
      { QUIRE_BATTERY_MODE: 'PAUSE', QUIRE_OCR_SCHEDULE: ' sat,sun all ', QUIRE_ONLY_WHEN_IDLE: 'yes', QUIRE_SYSFS_ROOT: '/tmp/fake-sys' },
    );
    expect(config.battery_mode).toBe('pause');
    expect(config.ocr_schedule).toBe('sat,sun all');
    expect(config.only_when_idle).toBe(true);
    expect(config.sysfs_root).toBe('/tmp/fake-sys');
    expect(resolveConfig({ sysfs_root: '/ignored' }, {}).config.sysfs_root).toBe('/sys');
    const p = powerSettings(config);
    expect(inSchedule(p.schedule, new Date(2026, 0, 17, 3, 0).getTime())).toBe(true); // Saturday
    expect(inSchedule(p.schedule, new Date(2026, 0, 16, 23, 0).getTime())).toBe(false); // Friday
  });

  it('refuses bad values, naming the setting, what is wrong and what it accepts', () => {
    expect(() => parseSettingValue('battery_mode', 'half')).toThrow('Invalid value "half" for battery_mode: it accepts pause, one-worker, full.');
    expect(() => parseSettingValue('outside_schedule', 'slow')).toThrow('Invalid value "slow" for outside_schedule: it accepts limited, pause.');
    expect(() => parseSettingValue('battery_pause_percent', '101')).toThrow(/battery_pause_percent: it accepts a whole number from 0 to 100/);
    expect(() => parseSettingValue('idle_minutes', '0')).toThrow(/idle_minutes: it accepts a whole number from 1 to 1440/);
    expect(() => parseSettingValue('active_max_workers', '0')).toThrow(/active_max_workers: it accepts a whole number from 1 to 64/);
    expect(() => parseSettingValue('only_when_idle', 'sometimes')).toThrow(/only_when_idle: it accepts on or off/);
    expect(() => parseSettingValue('ocr_schedule', 'mon-fry 19:00-07:00')).toThrow(
      'Invalid value "mon-fry 19:00-07:00" for ocr_schedule: "fry" is not a day (mon, tue, wed, thu, fri, sat, sun, or daily); it accepts always, or rules',
    );
    // Typed values (the Settings screen, the HTTP API) get the same explanation.
    expect(() => validateSettingValue('ocr_schedule', 'mon 19:00-19:00')).toThrow(
      'Invalid value "mon 19:00-19:00" for ocr_schedule: "19:00-19:00" starts and ends at the same time; for the whole day write all; it accepts',
    );
    expect(() => validateSettingValue('ocr_schedule', 42)).toThrow('Invalid value 42 for ocr_schedule: it accepts always, or rules');
    expect(() => resolveConfig({}, { QUIRE_SYSFS_ROOT: 'sys' })).toThrow('Invalid value "sys" for the environment variable QUIRE_SYSFS_ROOT: it accepts an absolute path.');
    expect(() => resolveConfig({}, { QUIRE_OCR_SCHEDULE: 'weekends' })).toThrow(/QUIRE_OCR_SCHEDULE: "weekends" needs hours after the days/);
  });

  describe('saved in the database (quire config set, the Settings screen)', () => {
    let dataDir: string;
    let quire: Quire;
    afterEach(async () => {
      await quire?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('set as typed text, read back by the next process; a refused value leaves the saved one', async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'quire-power-settings-'));
      quire = createQuire({ dataDir, env: {} });
      await quire.setSetting('battery_mode', 'pause');
      await quire.setSetting('battery_pause_percent', '30');
      await quire.setSetting('ocr_schedule', 'mon-fri 19:00-07:00; sat,sun all');
      await quire.setSetting('only_when_idle', true);
      await expect(quire.setSetting('ocr_schedule', 'mon 7-7')).rejects.toThrow(/starts and ends at the same time/);
      await expect(quire.setSetting('sysfs_root', '/x')).rejects.toThrow('sysfs_root is not saved in the database; set the environment variable QUIRE_SYSFS_ROOT instead.');
      await quire.close();

      quire = createQuire({ dataDir, env: {} });
      const config = await quire.config();
      expect(config).toMatchObject({ battery_mode: 'pause', battery_pause_percent: 30, ocr_schedule: 'mon-fri 19:00-07:00; sat,sun all', only_when_idle: true });
      expect(powerSettings(config).schedule.intervals.length).toBeGreaterThan(0);
      expect((await quire.settings()).find((s) => s.key === 'ocr_schedule')!.source).toBe('setting');
    });
  });
});
