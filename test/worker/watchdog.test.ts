/**
 * The worker watchdog (src/worker/watchdog.ts) with real processes whose main thread is stuck in
 * synchronous code, so nothing on it can run: a worker whose host is SIGKILLed dies, and one that
 * allocates past its memory limit is ended with the watchdog's signal. Each case has a control
 * without the watchdog, which survives its host / passes its limit: what the worker did before.
 * Figures are printed; the waits are bounded by the test's timeout, not asserted.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../repo-root';
import { MEMORY_LIMIT_SIGNAL } from '../../src/worker/watchdog';

const ENTRY = join(REPO_ROOT, 'test/worker/watchdog-entry.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const started: number[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** Gone, or a zombie nobody has reaped yet (dead all the same). */
function dead(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  try {
    return readFileSync(stat, 'latin1').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

async function until(cond: () => boolean): Promise<number> {
  const t0 = Date.now();
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
  return Date.now() - t0;
}

/** Lines from a stream, as they come. */
function lines(c: ChildProcess): { all: string[] } {
  const all: string[] = [];
  let buf = '';
  c.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      all.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  return { all };
}

describe('worker watchdog', () => {
  it('a worker spinning in synchronous code dies when its host is SIGKILLed; without the watchdog it spins on', async () => {
    // The host: a process that starts two stuck workers (watchdog on, watchdog off) and waits.
    const host = spawn(
      process.execPath,
      [
        '-e',
        `const { spawn } = require('node:child_process');
         for (const w of ['on', 'off']) spawn(process.execPath, ['--import', ${JSON.stringify(TSX)}, ${JSON.stringify(ENTRY)}, 'spin', String(process.pid), w], { stdio: ['ignore', 'inherit', 'inherit'] });
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(host);
    const out = lines(host);
    const ready = () => out.all.filter((l) => l.startsWith('ready')).map((l) => Number(l.split(' ')[1]));
    await until(() => ready().length === 2);
    started.push(...ready());
    // Which is which: the last argument of each one's command line.
    const argv = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter(Boolean);
    const withDog = ready().find((pid) => argv(pid).at(-1) === 'on')!;
    const without = ready().find((pid) => argv(pid).at(-1) === 'off')!;
    host.kill('SIGKILL');
    const ms = await until(() => dead(withDog));
    process.stdout.write(`watchdog: worker stuck in synchronous code died ${ms} ms after its host's SIGKILL\n`);
    expect(dead(withDog)).toBe(true);
    expect(dead(without)).toBe(false); // the control: what every worker did before
  }, 30_000);

  it('a worker allocating past its memory limit in synchronous code is ended with the watchdog signal; without it, it goes on', async () => {
    const limitMb = 200;
    const run = (watchdog: 'on' | 'off') => {
      const c = spawn(process.execPath, ['--import', TSX, ENTRY, 'alloc', String(process.pid), watchdog, String(limitMb), '8'], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(c);
      const out = lines(c);
      return new Promise<{ signal: string | null; code: number | null; at: number; out: string[] }>((resolve) =>
        c.on('exit', (code, signal) => resolve({ code, signal, at: Date.now(), out: out.all })),
      );
    };
    const r = await run('on');
    const samples = r.out.filter((l) => /^\d+ \d+$/.test(l)).map((l) => l.split(' ').map(Number) as [number, number]);
    const [lastAt, lastRss] = samples.at(-1) ?? [0, 0];
    const peak = Math.max(...samples.map(([, rss]) => rss));
    process.stdout.write(
      `watchdog: limit ${limitMb} MB, allocating ~800 MB/s: ended by ${r.signal} ${r.at - lastAt} ms after the last step it reported (RSS ${Math.round(lastRss / 1048576)} MB); highest RSS reported ${Math.round(peak / 1048576)} MB\n`,
    );
    expect(r.signal).toBe(MEMORY_LIMIT_SIGNAL);
    expect(r.out).not.toContain('not stopped');
    const control = await run('off');
    expect(control).toMatchObject({ code: 0, signal: null });
    expect(control.out).toContain('not stopped');
  }, 60_000);
});
