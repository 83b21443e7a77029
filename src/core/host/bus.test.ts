/**
 * A storage fault (disk full / read-only / PostgreSQL unreachable, then writable again) reaches
 * every front end as a `storageStatus` event on the host's event route, and a UI that connects
 * during the fault still gets it. (The pool's own storage detection is tested in
 * src/core/pool/supervisor.test.ts and test/reliab/storage.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger';
import type { EventMessage } from '../../shared/events';
import { createEventBus } from '../host/bus';

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('storage status on the event route', () => {
  const bus = createEventBus(silentLogger);
  const host = bus;
  const pool = { emit: (_e: 'storage', data: { ok: boolean; message: string }) => bus.emit('storageStatus', data) };

  it('pushes a storage fault and its end to subscribers, and replays an ongoing fault to late ones', async () => {
    const early: EventMessage[] = [];
    host.subscribe((m) => early.push(m));
    const down = { ok: false, message: 'Cannot write to the queue database (SQLITE_FULL: database or disk is full). Free disk space.' };
    pool.emit('storage', down);
    expect(early.filter((m) => m.event === 'storageStatus').map((m) => m.data)).toEqual([down]);

    // A browser tab opened while the disk is still full sees the fault at once.
    const late: EventMessage[] = [];
    host.subscribe((m) => late.push(m));
    await flush();
    expect(late.filter((m) => m.event === 'storageStatus').map((m) => m.data)).toEqual([down]);

    const up = { ok: true, message: 'The queue database is writable again; processing resumed.' };
    pool.emit('storage', up);
    expect(early.filter((m) => m.event === 'storageStatus').map((m) => m.data)).toEqual([down, up]);
    expect(late.filter((m) => m.event === 'storageStatus').map((m) => m.data)).toEqual([down, up]);

    // Once writable again, a new subscriber is not told about the past fault.
    const after: EventMessage[] = [];
    host.subscribe((m) => after.push(m));
    await flush();
    expect(after.filter((m) => m.event === 'storageStatus')).toEqual([]);

    // A fatal stop is replayed to late subscribers too.
    bus.emit('fatal', { message: 'The queue database is damaged.' });
    const latest: EventMessage[] = [];
    host.subscribe((m) => latest.push(m));
    await flush();
    expect(latest.map((m) => m.event)).toEqual(['fatal']);
  });
});
