/**
 * The pool's `storage` event (disk full / read-only / PostgreSQL unreachable, then writable again)
 * reaches the UI as a `storageStatus` event, and a UI that connects during the fault still gets it.
 * The pool is an event emitter here (its own storage detection is tested in test/reliab/storage.test.ts).
 */
import { EventEmitter } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers';
import { createQuire } from '../app';
import { connectApi } from '../host-seams';
import type { WorkerPool } from '../pool/supervisor';
import type { EventMessage } from '../../shared/events';
import { createApiHost } from './host';

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('storage status in the API', () => {
  const quire = createQuire({ dataDir: tempDir('quire-storage-api-'), env: {} });
  const host = createApiHost({ quire, logger: quire.logger, liveIntervalMs: 3_600_000 });
  const pool = new EventEmitter();
  const disconnect = connectApi(host, pool as unknown as WorkerPool, null, undefined);
  afterAll(async () => {
    disconnect();
    host.close();
    await quire.close();
  });

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

    // Disconnected: the pool's events no longer reach the API.
    disconnect();
    pool.emit('storage', down);
    expect(after.filter((m) => m.event === 'storageStatus')).toEqual([]);
  });
});
