/**
 * The Linux reader end to end: a fake sysfs tree in a temp folder, and a stand-in `loginctl`
 * program (a script run through the real execFile) answering as logind does, or failing as it does
 * where logind is not running.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { createHeadlessPowerSource } from './index';
import { createLinuxPowerSource } from './linux';
import { readLogind } from './logind';
import { laptopOnBattery } from '../../../test/support/fake-sysfs';

let dir: string;
let loginctl: string;
const NOW = Date.UTC(2026, 0, 12, 12, 0, 0);

/** What the stand-in answers: manager (show-session), seat (show-seat) and session (LockedHint); `.err` files make it fail. */
function answer(name: 'manager' | 'seat' | 'session', text: string, fail = false): void {
  rmSync(join(dir, `${name}.err`), { force: true });
  writeFileSync(join(dir, fail ? `${name}.err` : name), text);
}

function calls(): string[] {
  try {
    return readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-logind-'));
  loginctl = join(dir, 'loginctl');
  writeFileSync(
    loginctl,
    [
      '#!/bin/sh',
      'd=$(dirname "$0")',
      'echo "$*" >> "$d/calls"',
      'case "$*" in',
      '  *show-seat*) f=seat ;;',
      '  *LockedHint*) f=session ;;',
      '  *) f=manager ;;',
      'esac',
      'if [ -f "$d/$f.err" ]; then cat "$d/$f.err" >&2; exit 1; fi',
      'cat "$d/$f"',
      '',
    ].join('\n'),
  );
  chmodSync(loginctl, 0o755);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('readLogind', () => {
  it('active user, unlocked screen: idle 0; asks the manager, then seat0 and its active session', async () => {
    answer('manager', 'IdleHint=no\nIdleSinceHint=1768219000000000\n');
    answer('seat', 'ActiveSession=5\n');
    answer('session', 'LockedHint=no\n');
    expect(await readLogind(NOW, { loginctl })).toEqual({ idleSeconds: 0, locked: false, unavailable: {}, reachable: true });
    expect(calls()).toEqual([
      '--no-pager show-session -p IdleHint -p IdleSinceHint',
      '--no-pager show-seat seat0 -p ActiveSession',
      '--no-pager show-session 5 -p LockedHint',
    ]);
  });

  it('idle since a time: seconds since then; a locked screen', async () => {
    answer('manager', `IdleHint=yes\nIdleSinceHint=${(NOW - 300_000) * 1000}\n`);
    answer('seat', 'ActiveSession=c2\n');
    answer('session', 'LockedHint=yes\n');
    expect(await readLogind(NOW, { loginctl })).toMatchObject({ idleSeconds: 300, locked: true });
  });

  it('idle with no date (no session at all): idle since boot', async () => {
    answer('manager', 'IdleHint=yes\nIdleSinceHint=0\n');
    answer('seat', 'ActiveSession=\n');
    const r = await readLogind(NOW, { loginctl, uptimeSeconds: () => 12_345.6 });
    expect(r.idleSeconds).toBe(12_345);
    expect(r.locked).toBeNull();
    expect(r.unavailable.locked).toBe("the lock state is not available here: nobody is logged in at this machine's screen (seat0)");
  });

  it('a machine without seat0 (a server): idle known, lock state not available', async () => {
    answer('manager', 'IdleHint=no\nIdleSinceHint=0\n');
    answer('seat', "Failed to get seat: No seat 'seat0' known.\n", true);
    const r = await readLogind(NOW, { loginctl });
    expect(r.idleSeconds).toBe(0);
    expect(r.unavailable.locked).toBe('the lock state is not available here: this machine has no screen session (seat0)');
  });

  it('logind not running (a container, this kind of CI machine): both unknown, with loginctl\'s own words', async () => {
    answer('manager', "System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down\n", true);
    const r = await readLogind(NOW, { loginctl });
    expect(r).toEqual({
      idleSeconds: null,
      locked: null,
      reachable: false,
      unavailable: {
        idleSeconds: "idle time is not available here: systemd-logind is not running (System has not been booted with systemd as init system (PID 1). Can't operate.)",
        locked: "the lock state is not available here: systemd-logind is not running (System has not been booted with systemd as init system (PID 1). Can't operate.)",
      },
    });
  });

  it('no loginctl at all', async () => {
    const r = await readLogind(NOW, { loginctl: join(dir, 'no-such-loginctl') });
    expect(r.idleSeconds).toBeNull();
    expect(r.unavailable.idleSeconds).toBe(`idle time is not available here: ${join(dir, 'no-such-loginctl')} is not installed (no systemd-logind)`);
  });

  it('a session id that is not a plain name is not passed on', async () => {
    answer('manager', 'IdleHint=no\n');
    answer('seat', 'ActiveSession=--help\n');
    const r = await readLogind(NOW, { loginctl });
    expect(r.locked).toBeNull();
    expect(calls()).toHaveLength(2);
  });
});

describe('createLinuxPowerSource', () => {
  it('battery from the sysfs root, idle and lock from logind, in one snapshot', async () => {
    const root = join(dir, 'sys');
    laptopOnBattery(root, 43);
    answer('manager', `IdleHint=yes\nIdleSinceHint=${(NOW - 600_000) * 1000}\n`);
    answer('seat', 'ActiveSession=2\n');
    answer('session', 'LockedHint=no\n');
    const source = createLinuxPowerSource({ sysfsRoot: root, loginctl, clock: new ManualClock(NOW) });
    expect(await source.read()).toEqual({ onBattery: true, batteryPercent: 43, idleSeconds: 600, locked: false, unavailable: {} });
  });

  it('asks an absent logind again only after a minute, and reports the reason meanwhile', async () => {
    const clock = new ManualClock(NOW);
    answer('manager', 'Failed to connect to bus: Host is down\n', true);
    const source = createLinuxPowerSource({ sysfsRoot: join(dir, 'no-sys'), loginctl, clock });
    const first = await source.read();
    expect(first.idleSeconds).toBeNull();
    expect(first.unavailable.idleSeconds).toBe('idle time is not available here: systemd-logind is not running (Failed to connect to bus: Host is down)');
    expect(first.unavailable.onBattery).toMatch(/^battery state is not available: .*no-sys\/class\/power_supply cannot be read \(ENOENT\)$/);
    clock.advance(30_000);
    expect((await source.read()).unavailable.idleSeconds).toBe(first.unavailable.idleSeconds);
    expect(calls()).toHaveLength(1);

    answer('manager', 'IdleHint=no\n');
    answer('seat', 'ActiveSession=\n');
    clock.advance(30_001);
    expect((await source.read()).idleSeconds).toBe(0);
    expect(calls()).toHaveLength(3);
  });
});

describe('createHeadlessPowerSource', () => {
  it('macOS and Windows hosts without the app say that nothing is read, and why', async () => {
    for (const [platform, name] of [
      ['darwin', 'macOS'],
      ['win32', 'Windows'],
    ] as const) {
      const r = await createHeadlessPowerSource({ sysfsRoot: '/sys', platform }).read();
      const why = `the command-line and server hosts do not read power or idle state on ${name} (the desktop app does)`;
      expect(r).toEqual({
        onBattery: null,
        batteryPercent: null,
        idleSeconds: null,
        locked: null,
        unavailable: { onBattery: why, batteryPercent: why, idleSeconds: why, locked: why },
      });
    }
  });

  it('Linux hosts read the configured sysfs root', async () => {
    const root = join(dir, 'sys');
    laptopOnBattery(root, 43);
    const r = await createHeadlessPowerSource({ sysfsRoot: root, platform: 'linux' }).read();
    expect(r).toMatchObject({ onBattery: true, batteryPercent: 43 });
  });
});
