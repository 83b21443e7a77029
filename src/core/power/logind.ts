/**
 * Idle and lock state on Linux without X and without native modules: systemd-logind, asked through
 * `loginctl` (execFile with an argument list, never a shell).
 *
 * Idle: the manager's IdleHint/IdleSinceHint, which logind folds over every session: a graphical
 * session is idle when its desktop says so (GNOME sets the hint after its own idle delay, 5 min by
 * default), a text or SSH session when its terminal has had no input for 5 min, and an idle
 * inhibitor (a video call, a player) keeps the machine "in use". So Linux hosts see the user as idle
 * no sooner than the desktop does, a few minutes later than the keyboard alone would say; that errs
 * towards fewer workers, never towards running flat out under a working person.
 * Lock: LockedHint of the session active on seat0 (the machine's own screen and keyboard).
 *
 * Other ways were checked and left out: /dev/input/event* access times are not updated by reads on
 * evdev devices and the nodes are readable by root and group input only; X11's XScreenSaver needs
 * a native binding and an X display; terminal access times cover typing in terminals only, not a
 * graphical desktop, so they would report a mouse user as idle.
 */
import { execFile } from 'node:child_process';
import { uptime } from 'node:os';
import type { PowerSnapshot } from './types';

export type RunCommand = (file: string, args: readonly string[]) => Promise<string>;

type Idle = Pick<PowerSnapshot, 'idleSeconds' | 'locked' | 'unavailable'> & {
  /** false: loginctl could not be run or logind did not answer at all. */
  reachable: boolean;
};

/** execFile without a shell, bounded in time; rejects with loginctl's own message. */
export const runCommand: RunCommand = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: 3000, windowsHide: true, env: { ...process.env, LC_ALL: 'C' } }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const said = String(stderr).trim().split('\n')[0];
        reject(Object.assign(new Error(said || err.message), { code }));
      } else resolve(String(stdout));
    });
  });

function properties(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) m.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return m;
}

function why(err: unknown, loginctl: string): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return `${loginctl} is not installed (no systemd-logind)`;
  if (/not been booted with systemd|Failed to connect to bus|Host is down|No such file or directory|Could not activate/i.test(e.message)) {
    return `systemd-logind is not running (${e.message})`;
  }
  return `${loginctl} failed: ${e.message}`;
}

export interface LogindOptions {
  run?: RunCommand;
  /** The loginctl program (default: found on PATH). */
  loginctl?: string;
  /** Seconds since boot: "idle since" when logind knows no session at all. */
  uptimeSeconds?: () => number;
}

export async function readLogind(now: number, o: LogindOptions = {}): Promise<Idle> {
  const run = o.run ?? runCommand;
  const loginctl = o.loginctl ?? 'loginctl';
  const out: Idle = { idleSeconds: null, locked: null, unavailable: {}, reachable: true };

  try {
    const p = properties(await run(loginctl, ['--no-pager', 'show-session', '-p', 'IdleHint', '-p', 'IdleSinceHint']));
    const hint = p.get('IdleHint');
    const since = Number(p.get('IdleSinceHint') ?? '0');
    if (hint === 'no') out.idleSeconds = 0;
    else if (hint === 'yes') {
      // IdleSinceHint is realtime microseconds; 0 when logind has no session to date it from.
      out.idleSeconds = since > 0 ? Math.max(0, Math.floor((now - since / 1000) / 1000)) : Math.floor((o.uptimeSeconds ?? uptime)());
    } else out.unavailable.idleSeconds = `idle time is not available here: logind did not report IdleHint`;
  } catch (err) {
    out.unavailable.idleSeconds = `idle time is not available here: ${why(err, loginctl)}`;
    out.unavailable.locked = `the lock state is not available here: ${why(err, loginctl)}`;
    out.reachable = false;
    return out;
  }

  try {
    const seat = properties(await run(loginctl, ['--no-pager', 'show-seat', 'seat0', '-p', 'ActiveSession']));
    const session = seat.get('ActiveSession') ?? '';
    if (!/^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(session)) {
      out.unavailable.locked = 'the lock state is not available here: nobody is logged in at this machine\'s screen (seat0)';
      return out;
    }
    const s = properties(await run(loginctl, ['--no-pager', 'show-session', session, '-p', 'LockedHint']));
    const locked = s.get('LockedHint');
    if (locked === 'yes' || locked === 'no') out.locked = locked === 'yes';
    else out.unavailable.locked = 'the lock state is not available here: logind did not report LockedHint';
  } catch (err) {
    const e = err as Error;
    // A machine without seats (a server, a container) has no seat0.
    out.unavailable.locked = /seat0|No such seat|not known/i.test(e.message)
      ? 'the lock state is not available here: this machine has no screen session (seat0)'
      : `the lock state is not available here: ${why(err, loginctl)}`;
  }
  return out;
}
