import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { RunProgress, duration } from '../../src/cli/run-progress';
import { toWireError } from '../../src/core/pool/protocol';
import { OcrError } from '../../src/core/ocr/types';
import { parentChannel } from '../../src/worker/channel';

describe('worker channel', () => {
  it('speaks utilityProcess parentPort when present, unwrapping {data}', () => {
    const port = new EventEmitter() as EventEmitter & { postMessage(m: unknown): void };
    const posted: unknown[] = [];
    port.postMessage = (m) => posted.push(m);
    const proc = Object.assign(new EventEmitter(), { parentPort: port }) as unknown as NodeJS.Process;
    const ch = parentChannel(proc);
    const got: unknown[] = [];
    ch.onMessage((m) => got.push(m));
    port.emit('message', { data: { type: 'shutdown' } });
    ch.send({ type: 'ready', id: 1, pid: 2, engine: 'fake' });
    expect(got).toEqual([{ type: 'shutdown' }]);
    expect(posted).toEqual([{ type: 'ready', id: 1, pid: 2, engine: 'fake' }]);
  });

  it('speaks child_process IPC otherwise, and reports the parent going away', () => {
    const sent: unknown[] = [];
    const emitter = Object.assign(new EventEmitter(), { connected: true, send: (m: unknown) => sent.push(m) });
    const ch = parentChannel(emitter as unknown as NodeJS.Process);
    let gone = false;
    ch.onDisconnect(() => (gone = true));
    const got: unknown[] = [];
    ch.onMessage((m) => got.push(m));
    emitter.emit('message', { type: 'shutdown' });
    ch.send({ type: 'progress', id: 3, page: 1, pages: 2 });
    emitter.emit('disconnect');
    expect(got).toEqual([{ type: 'shutdown' }]);
    expect(sent).toEqual([{ type: 'progress', id: 3, page: 1, pages: 2 }]);
    expect(gone).toBe(true);
  });
});

describe('errors as data', () => {
  it('keeps a known kind, maps file-system codes, and falls back to engine_error', () => {
    expect(toWireError(new OcrError('corrupt_file', 'bad bytes'))).toEqual({ name: 'OcrError', message: 'bad bytes', kind: 'corrupt_file' });
    expect(toWireError(Object.assign(new Error('no such file'), { code: 'ENOENT' })).kind).toBe('file_missing');
    expect(toWireError(Object.assign(new Error('denied'), { code: 'EACCES' })).kind).toBe('permission_denied');
    expect(toWireError('weird')).toEqual({ name: 'Error', message: 'weird', kind: 'engine_error' });
  });
});

describe('run progress', () => {
  it('counts files and pages, rates and ETA from the host\'s events', () => {
    let now = 0;
    const p = new RunProgress(4, () => now);
    expect(p.line()).toBe('files 0/4  pages 0/0+  0 pages/min  ETA ?  failed 0');
    p.see({ event: 'jobProgress', data: { workerId: 'w', jobId: 'a', path: '/a', page: 1, pages: 10 } });
    now = 60_000;
    p.see({ event: 'jobFinished', data: { jobId: 'a', path: '/a', status: 'completed', kind: null, message: null, pages: 10, reused: false } });
    p.see({ event: 'jobFinished', data: { jobId: 'b', path: '/b', status: 'pending', kind: 'timeout', message: 'x' } });
    p.see({ event: 'jobFinished', data: { jobId: 'b', path: '/b', status: 'failed', kind: 'timeout', message: 'x' } });
    expect(p.line()).toBe('files 2/4  pages 10/10+  10 pages/min  ETA 1m00s  failed 1');
    expect(p.retries).toBe(1);
    // A multi-page file being read counts its pages as they are read, not only when the file ends.
    p.see({ event: 'jobProgress', data: { workerId: 'w', jobId: 'c', path: '/c', page: 1, pages: 4 } });
    expect(p.line()).toBe('files 2/4  pages 10/14+  10 pages/min  ETA 1m00s  failed 1');
    p.see({ event: 'jobProgress', data: { workerId: 'w', jobId: 'c', path: '/c', page: 3, pages: 4 } });
    now = 120_000;
    expect(p.line()).toBe('files 2/4  pages 12/14+  6 pages/min  ETA 2m00s  failed 1');
    p.see({ event: 'jobFinished', data: { jobId: 'c', path: '/c', status: 'completed', kind: null, message: null, pages: 4, reused: false } });
    expect(p.line()).toBe('files 3/4  pages 14/14+  7 pages/min  ETA 40s  failed 1');
    expect(duration(3_725_000)).toBe('1h02m');
  });
});
