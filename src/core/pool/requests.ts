/**
 * Decoding a host needs outside the queue (a page image for the viewer, a searchable PDF for
 * export or a watched folder), done in a worker process of its own, so a decoder's crash, hang or
 * leak costs one request, never the host: each request is bounded in time (killed at timeoutMs)
 * and memory (killed past maxRssBytes). The process starts on the first request, serves requests
 * one at a time, and exits after idleExitMs without work.
 */
import type { ErrorKind } from '../../shared/errors';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import type { OcrEngineOptions } from '../ocr/types';
import { MEMORY_LIMIT_SIGNAL, type PageImageValue, type WorkerMessage, type WorkerRequest } from './protocol';
import { WorkerSlot } from './slot';
import type { Spawner } from './spawner';

export interface RequestPoolOptions {
  spawner: Spawner;
  workerEntry: string;
  /** Longest a request may take before its worker is killed. */
  timeoutMs: number;
  /** Hard memory limit of the request worker. */
  maxRssBytes: number;
  idleExitMs?: number;
  killGraceMs?: number;
  initTimeoutMs?: number;
  logger?: Logger;
  /** This machine's path for a recorded path (path_mappings, read when each request is made). */
  mapPath?: (path: string) => string | Promise<string>;
  /** Names the worker ids (`<prefix>/req<n>`). */
  idPrefix?: string;
}

/** A request that did not produce a value, with the failure kind a job would have had. */
export class WorkerRequestError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string) {
    super(message);
    this.name = 'WorkerRequestError';
    this.kind = kind;
  }
}

interface Pending {
  id: number;
  request: WorkerRequest;
  resolve(value: PageImageValue | Uint8Array | null): void;
  reject(err: WorkerRequestError): void;
}

export class RequestPool {
  private readonly o: Required<Omit<RequestPoolOptions, 'logger'>>;
  private readonly log: Logger;
  private readonly queue: Pending[] = [];
  private slot: WorkerSlot | null = null;
  private current: (Pending & { timer: NodeJS.Timeout }) | null = null;
  private idleTimer?: NodeJS.Timeout;
  private seq = 0;
  private closed = false;

  constructor(opts: RequestPoolOptions) {
    this.o = {
      idleExitMs: 30_000,
      killGraceMs: 2000,
      initTimeoutMs: 60_000,
      mapPath: (p: string) => p,
      idPrefix: 'requests',
      ...opts,
    } as Required<Omit<RequestPoolOptions, 'logger'>>;
    this.log = (opts.logger ?? silentLogger).scope('requests');
  }

  /** One page of a file as an image; null when it cannot be shown as pixels. */
  async pageImage(path: string, pageNo: number): Promise<PageImageValue | null> {
    return (await this.send({ kind: 'page-image', path: await this.o.mapPath(path), pageNo })) as PageImageValue | null;
  }

  /** A searchable PDF of a file. */
  async searchablePdf(path: string, engineOptions: OcrEngineOptions): Promise<Uint8Array> {
    return (await this.send({ kind: 'searchable-pdf', path: await this.o.mapPath(path), engineOptions })) as Uint8Array;
  }

  /** Refuse new requests, fail queued ones, end the worker. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    for (const p of this.queue.splice(0)) p.reject(new WorkerRequestError('engine_error', 'Quire is shutting down.'));
    const slot = this.slot;
    if (!slot) return;
    await new Promise<void>((resolve) => {
      this.onSlotGone = resolve;
      if (this.current) slot.kill('stop');
      else slot.askToExit();
    });
  }

  private onSlotGone?: () => void;

  private send(request: WorkerRequest): Promise<PageImageValue | Uint8Array | null> {
    if (this.closed) return Promise.reject(new WorkerRequestError('engine_error', 'Quire is shutting down.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: ++this.seq, request, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    clearTimeout(this.idleTimer);
    if (this.current || this.closed) return;
    if (!this.slot) {
      if (this.queue.length) this.spawn();
      return;
    }
    if (this.slot.state !== 'idle') return;
    const p = this.queue.shift();
    if (!p) {
      const slot = this.slot;
      this.idleTimer = setTimeout(() => slot.askToExit(), this.o.idleExitMs);
      this.idleTimer.unref?.();
      return;
    }
    this.slot.state = 'busy';
    const slot = this.slot;
    const timer = setTimeout(() => {
      this.log.warn('request timed out; killing its worker', { kind: p.request.kind, path: p.request.path });
      slot.kill('timeout');
    }, this.o.timeoutMs);
    this.current = { ...p, timer };
    slot.send({ type: 'request', id: p.id, request: p.request });
  }

  private spawn(): void {
    const workerId = `${this.o.idPrefix}/req${++this.seq}`;
    const handle = this.o.spawner.spawn(this.o.workerEntry, { name: 'quire-requests' });
    this.slot = new WorkerSlot(
      handle,
      {
        workerId,
        initId: ++this.seq,
        engine: null,
        engineOptions: { languages: '', langPath: '', keepExistingText: false },
        initTimeoutMs: this.o.initTimeoutMs,
        killGraceMs: this.o.killGraceMs,
        maxRssBytes: this.o.maxRssBytes,
        log: this.log,
      },
      {
        ready: () => this.next(),
        startFailed: (_s, message) => this.log.error('request worker failed to start', { message }),
        message: (s, m) => this.onMessage(s, m),
        exit: (s, code, signal) => this.onExit(s, code, signal),
      },
    );
  }

  private onMessage(s: WorkerSlot, m: WorkerMessage): void {
    const cur = this.current;
    if (!cur || !('id' in m) || m.id !== cur.id) return;
    if (m.type === 'memory' && m.rss > this.o.maxRssBytes) {
      this.log.warn('request worker passed the memory limit; killing it', { path: cur.request.path, rssMb: Math.round(m.rss / 1048576) });
      s.kill('memory');
      return;
    }
    if (m.type !== 'request-done') return;
    clearTimeout(cur.timer);
    this.current = null;
    if (m.outcome.ok) cur.resolve(m.outcome.value);
    else cur.reject(new WorkerRequestError(m.outcome.error.kind, m.outcome.error.message));
    if (s.state === 'busy') s.state = 'idle';
    if (m.rss > this.o.maxRssBytes / 2) s.askToExit(); // decoders do not give memory back: start fresh next time
    this.next();
  }

  private onExit(s: WorkerSlot, code: number | null, signal: string | null): void {
    if (this.slot === s) this.slot = null;
    const cur = this.current;
    if (cur) {
      clearTimeout(cur.timer);
      this.current = null;
      cur.reject(exitError(s, code, signal, this.o));
    }
    if (this.closed) {
      this.onSlotGone?.();
      return;
    }
    // A worker that cannot even start fails what is queued instead of retrying forever.
    if (!s.started) for (const p of this.queue.splice(0)) p.reject(new WorkerRequestError('engine_error', 'The request worker could not start.'));
    this.next();
  }
}

function exitError(s: WorkerSlot, code: number | null, signal: string | null, o: { timeoutMs: number; maxRssBytes: number }): WorkerRequestError {
  if (s.killReason === 'timeout') return new WorkerRequestError('timeout', `Took longer than ${Math.round(o.timeoutMs / 1000)} s; stopped.`);
  if (s.killReason === 'memory' || signal === MEMORY_LIMIT_SIGNAL) return new WorkerRequestError('out_of_memory', `Used more than ${Math.round(o.maxRssBytes / 1048576)} MB of memory; stopped.`);
  return new WorkerRequestError('worker_crashed', `The worker process ended (${signal ? `signal ${signal}` : `exit code ${code}`}).`);
}
