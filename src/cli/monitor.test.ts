/** `quire ingest --monitor`: follows the queue's changes and closes with one line. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { EventMessage } from '../shared/events';
import type { QueueStats } from '../shared/stats';
import { monitor } from './queue-commands';

const stats = (o: Partial<QueueStats>): QueueStats => ({
  pending: 0,
  processing: 0,
  failed: 0,
  completed_today: 0,
  avg_wait_time_minutes: 0,
  oldest_pending_minutes: 0,
  completed: 0,
  cancelled: 0,
  completed_last_hour: 0,
  paused: false,
  in_progress: [],
  workersAllowed: null,
  throttleReason: null,
  hosts: [],
  ...o,
});

function fakeHost(snapshot: Promise<QueueStats>) {
  const listeners = new Set<(m: EventMessage) => void>();
  return {
    emit: (s: QueueStats) => {
      for (const l of [...listeners]) l({ event: 'statsChanged', data: s } as EventMessage);
    },
    listeners,
    host: {
      subscribe: (l: (m: EventMessage) => void) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      handlers: { stats: () => snapshot } as never,
    },
  };
}

/** Both streams in the order written: stdout lines as `out: ...`, stderr as `err: ...`. */
function io() {
  const out = new PassThrough();
  const err = new PassThrough();
  let text = '';
  const log: string[] = [];
  out.on('data', (c: Buffer) => {
    text += c.toString();
    log.push(`out: ${c.toString().trimEnd()}`);
  });
  err.on('data', (c: Buffer) => log.push(`err: ${c.toString().trimEnd()}`));
  return { io: { out, err }, text: () => text, log };
}

describe('ingest --monitor', () => {
  it('writes its closing line once, even when the first snapshot answers after the queue emptied', async () => {
    let answer!: (s: QueueStats) => void;
    const f = fakeHost(new Promise((r) => (answer = r)));
    const o = io();
    const watching = monitor({ io: o.io }, f.host);
    f.emit(stats({ pending: 1, processing: 1, completed: 2 }));
    f.emit(stats({ completed: 4 }));
    answer(stats({ pending: 4 })); // asked at the start, answered late
    await watching;
    await new Promise((r) => setImmediate(r));
    const lines = o.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ 4\/4 {2}pending 0 {2}processing 0 {2}completed 4 {2}failed 0$/);
    // Nothing after the closing line: no stale progress line under the summary.
    expect(o.log.at(-1)).toMatch(/^out: .* 4\/4 /);
    expect(f.listeners.size).toBe(0);
  });

  it('an empty late snapshot does not print the closing line twice', async () => {
    let answer!: (s: QueueStats) => void;
    const f = fakeHost(new Promise((r) => (answer = r)));
    const o = io();
    const watching = monitor({ io: o.io }, f.host);
    f.emit(stats({ completed: 3 }));
    answer(stats({ completed: 3 }));
    await watching;
    await new Promise((r) => setImmediate(r));
    expect(o.text().trim().split('\n')).toHaveLength(1);
  });

  it('a stale snapshot after a change never reopens a finished watch, and an empty queue closes at once', async () => {
    const f = fakeHost(Promise.resolve(stats({ completed: 1 })));
    const o = io();
    await monitor({ io: o.io }, f.host);
    expect(o.text()).toMatch(/ 1\/1 {2}pending 0/);
    expect(o.text().trim().split('\n')).toHaveLength(1);
  });
});

describe('progress line', () => {
  it('into a log: nothing for a quick command, then a plain line every interval; on a terminal: redrawn and cleared', async () => {
    const { statusLine } = await import('./output');
    let t = 1_000;
    const written: string[] = [];
    const log = Object.assign(new PassThrough(), { isTTY: false });
    log.on('data', (c: Buffer) => written.push(c.toString()));
    const line = statusLine(log, 5000, () => t);
    line.update('seen 6  enqueued 5');
    t += 4_999;
    line.update('seen 6  enqueued 5');
    line.done();
    await new Promise((r) => setImmediate(r));
    expect(written).toEqual([]);
    const slow = statusLine(log, 5000, () => t);
    t += 5_000;
    slow.update('files 1/9');
    t += 1_000;
    slow.update('files 2/9');
    t += 4_000;
    slow.update('files 3/9');
    await new Promise((r) => setImmediate(r));
    expect(written).toEqual(['files 1/9\n', 'files 3/9\n']);

    const screen: string[] = [];
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 20 });
    tty.on('data', (c: Buffer) => screen.push(c.toString()));
    const drawn = statusLine(tty, 5000, () => t);
    drawn.update('files 1/9');
    drawn.done();
    await new Promise((r) => setImmediate(r));
    expect(screen).toEqual(['\rfiles 1/9          ', '\r                   \r']);
  });
});
