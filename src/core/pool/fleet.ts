/**
 * The pool's worker processes as a set: as many as the target asks for, spawned and retired
 * (idle ones first), with start failures retried on a backoff instead of in a tight loop and
 * reported as fatal after a few in a row. Each process's own life is a WorkerSlot.
 */
import type { Logger } from '../logger';
import type { OcrEngineOptions } from '../ocr/types';
import type { HostIdentity } from './host-id';
import { workerIdFor } from './host-id';
import type { WorkerMessage } from './protocol';
import { WorkerSlot } from './slot';
import type { Spawner } from './spawner';

export interface FleetOptions {
  spawner: Spawner;
  workerEntry: string;
  engine: string;
  engineOptions: OcrEngineOptions;
  initTimeoutMs: number;
  killGraceMs: number;
  fatalAfterInitFailures: number;
  maxJobRssBytes: number;
  host: HostIdentity;
  log: Logger;
}

export interface FleetListener {
  ready(slot: WorkerSlot): void;
  message(slot: WorkerSlot, m: WorkerMessage): void;
  /** A process ended; `wanted` when the pool still wanted it (a crash, a kill, not a retirement). */
  exit(slot: WorkerSlot, code: number | null, signal: string | null, wanted: boolean): void;
  /** Workers keep failing to start. */
  fatal(message: string): void;
  /** The set or a state changed (for stats). */
  changed(): void;
}

export class Fleet {
  readonly slots = new Set<WorkerSlot>();
  target: number;
  restarts = 0;
  private initFailures = 0;
  private seq = 0;
  private respawnTimer?: NodeJS.Timeout;
  private closed = false;
  /** Bumped when what a worker is started with changes; a slot of an older generation is replaced after its file. */
  private generation = 0;

  constructor(
    private readonly o: FleetOptions,
    private readonly listener: FleetListener,
    target: number,
  ) {
    this.target = Math.max(0, target);
  }

  /** Spawn or retire processes until the active ones match the target. */
  reconcile(afterBackoff = false): void {
    if (this.closed) return;
    const active = [...this.slots].filter((s) => !s.retiring);
    if (active.length > this.target) {
      // Retire workers that are not running a job first.
      const order = active.sort((a, b) => rank(a) - rank(b));
      for (const s of order.slice(0, active.length - this.target)) s.retire();
    } else if (active.length < this.target) {
      const delay = this.initFailures && !afterBackoff ? Math.min(30_000, 500 * 2 ** (this.initFailures - 1)) : 0;
      if (delay === 0) {
        for (let i = active.length; i < this.target; i++) this.spawn();
      } else if (!this.respawnTimer) {
        this.respawnTimer = setTimeout(() => {
          this.respawnTimer = undefined;
          this.reconcile(true);
        }, delay);
      }
    }
    this.listener.changed();
  }

  /**
   * New engine options or memory limit (a setting changed while the pool runs): processes started
   * from now on get them, and every process started before is outdated (the pool replaces idle
   * ones now, a busy one after its file: never killed for a setting). Returns whether anything changed.
   */
  setSpawnOptions(next: { engineOptions: OcrEngineOptions; maxJobRssBytes: number }): boolean {
    if (JSON.stringify(next.engineOptions) === JSON.stringify(this.o.engineOptions) && next.maxJobRssBytes === this.o.maxJobRssBytes) return false;
    this.o.engineOptions = next.engineOptions;
    this.o.maxJobRssBytes = next.maxJobRssBytes;
    this.generation++;
    return true;
  }

  /** Started with options that have changed since: retire it once its file is done. */
  outdated(slot: WorkerSlot): boolean {
    return slot.generation !== this.generation;
  }

  /** An idle worker that may take a job, if any. */
  idle(): WorkerSlot | undefined {
    return [...this.slots].find((s) => s.state === 'idle' && !s.retiring);
  }

  /** No more spawning; every process is asked to go once idle. */
  close(): void {
    this.closed = true;
    clearTimeout(this.respawnTimer);
    for (const s of this.slots) s.retire();
  }

  private spawn(): void {
    const n = ++this.seq;
    const workerId = workerIdFor(this.o.host, n);
    const handle = this.o.spawner.spawn(this.o.workerEntry, { name: `quire-ocr-${n}` });
    const slot = new WorkerSlot(
      handle,
      {
        workerId,
        initId: n,
        engine: this.o.engine,
        engineOptions: this.o.engineOptions,
        initTimeoutMs: this.o.initTimeoutMs,
        killGraceMs: this.o.killGraceMs,
        maxRssBytes: this.o.maxJobRssBytes,
        log: this.o.log,
        generation: this.generation,
      },
      {
        ready: (s) => {
          this.initFailures = 0;
          this.listener.ready(s);
        },
        startFailed: (s, message) => this.startFailed(s, message),
        message: (s, m) => this.listener.message(s, m),
        exit: (s, code, signal) => {
          this.slots.delete(s);
          const wanted = !s.retiring && !this.closed;
          if (wanted) this.restarts++;
          this.listener.exit(s, code, signal, wanted);
        },
      },
    );
    this.slots.add(slot);
    this.o.log.debug('worker spawned', { workerId, pid: handle.pid });
  }

  private startFailed(s: WorkerSlot, message: string): void {
    if (s.retiring || this.closed) return; // a worker we no longer wanted
    this.initFailures++;
    this.o.log.error('worker failed to start', { message, consecutive: this.initFailures });
    if (this.initFailures === this.o.fatalAfterInitFailures) this.listener.fatal(`OCR workers cannot start: ${message}`);
    this.reconcile();
  }
}

function rank(s: WorkerSlot): number {
  return s.state === 'starting' ? 0 : s.state === 'idle' ? 1 : 2;
}
