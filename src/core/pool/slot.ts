/**
 * One worker process's life, from spawn to exit: the init handshake (with a time limit), the
 * states the supervisor schedules by, a polite exit request, and a kill (SIGTERM, then SIGKILL
 * after a grace period). It knows nothing about jobs or the store: messages about work are passed
 * to the supervisor, and the exit is reported once, with the reason the slot itself caused
 * (VS Code's UtilityProcess wrapper keeps the same split: the process is one object, the work
 * another).
 */
import type { Logger } from '../logger';
import type { OcrEngineOptions } from '../ocr/types';
import type { ParentMessage, WorkerMessage } from './protocol';
import type { WorkerHandle } from './spawner';

export type SlotState = 'starting' | 'idle' | 'busy' | 'exiting';
export type KillReason = 'timeout' | 'init_timeout' | 'lost' | 'stop' | 'exit_timeout' | 'memory';

export interface SlotOptions {
  workerId: string;
  initId: number;
  /** null: a worker that serves requests only (no OCR engine). */
  engine: string | null;
  engineOptions: OcrEngineOptions;
  initTimeoutMs: number;
  killGraceMs: number;
  /** The process's hard memory limit, enforced by its watchdog thread. */
  maxRssBytes?: number;
  log: Logger;
  /** The fleet's generation of spawn options this process was started with. */
  generation?: number;
}

export interface SlotListener {
  /** The engine started: the slot is idle (or on its way out when it was retired meanwhile). */
  ready(slot: WorkerSlot): void;
  /** The engine could not start, or the process ended before it did (the slot may be retiring: the listener decides whether that counts). */
  startFailed(slot: WorkerSlot, message: string): void;
  /** A message about work (not the init handshake). */
  message(slot: WorkerSlot, m: WorkerMessage): void;
  /** Once, however the process ended. `killReason` is set when the slot ended it. */
  exit(slot: WorkerSlot, code: number | null, signal: string | null): void;
}

export class WorkerSlot {
  readonly workerId: string;
  state: SlotState = 'starting';
  /** Takes no new work; exits once idle (shrink, recycle, stop). */
  retiring = false;
  /** The engine reported ready (so a later exit is not a start failure). */
  started = false;
  jobsDone = 0;
  killReason?: KillReason;
  readonly generation: number;
  private readonly o: SlotOptions;
  private initTimer?: NodeJS.Timeout;
  private killTimer?: NodeJS.Timeout;
  private exited = false;

  constructor(
    private readonly handle: WorkerHandle,
    opts: SlotOptions,
    private readonly listener: SlotListener,
  ) {
    this.o = opts;
    this.workerId = opts.workerId;
    this.generation = opts.generation ?? 0;
    handle.onMessage((m) => this.onMessage(m));
    handle.onExit((code, signal) => this.onExit(code, signal));
    this.initTimer = setTimeout(() => {
      opts.log.warn('worker did not start in time', { workerId: this.workerId, limitMs: opts.initTimeoutMs });
      this.kill('init_timeout');
    }, opts.initTimeoutMs);
    handle.send({ type: 'init', id: opts.initId, engine: opts.engine, engineOptions: opts.engineOptions, maxRssBytes: opts.maxRssBytes });
  }

  get pid(): number | undefined {
    return this.handle.pid;
  }

  /** The OCR languages this process's engine was started with (the setting when it started). */
  get engineLanguages(): string {
    return this.o.engineOptions.languages;
  }

  get alive(): boolean {
    return !this.exited;
  }

  send(msg: ParentMessage): void {
    this.handle.send(msg);
  }

  /** No new work; a worker with nothing to do is asked to exit now. */
  retire(): void {
    this.retiring = true;
    if (this.state === 'idle' || this.state === 'starting') this.askToExit();
  }

  /** Ask the worker to close its engine and exit; kill it if it has not gone within the grace period. */
  askToExit(): void {
    if (this.state === 'exiting') return;
    this.state = 'exiting';
    clearTimeout(this.initTimer);
    this.handle.send({ type: 'shutdown' });
    this.killTimer = setTimeout(() => this.kill('exit_timeout'), this.o.killGraceMs);
  }

  /** SIGTERM, then SIGKILL after the grace period. A leaking process gets no grace. */
  kill(reason: KillReason): void {
    this.killReason ??= reason;
    this.state = 'exiting';
    clearTimeout(this.initTimer);
    clearTimeout(this.killTimer);
    this.handle.kill(reason === 'memory' ? 'SIGKILL' : 'SIGTERM');
    this.killTimer = setTimeout(() => this.handle.kill('SIGKILL'), this.o.killGraceMs);
  }

  private onMessage(m: WorkerMessage): void {
    if (m.type === 'ready') {
      if (m.id !== this.o.initId || this.state !== 'starting') return;
      clearTimeout(this.initTimer);
      this.started = true;
      this.state = 'idle';
      this.o.log.debug('worker ready', { workerId: this.workerId, pid: m.pid, engine: m.engine });
      if (this.retiring) this.askToExit();
      this.listener.ready(this);
      return;
    }
    if (m.type === 'init-failed') {
      if (m.id !== this.o.initId) return;
      this.listener.startFailed(this, m.error.message);
      this.started = true; // reported now; the exit that follows is not a second start failure
      this.retiring = true;
      this.askToExit();
      return;
    }
    this.listener.message(this, m);
  }

  private onExit(code: number | null, signal: string | null): void {
    if (this.exited) return;
    this.exited = true;
    clearTimeout(this.initTimer);
    clearTimeout(this.killTimer);
    this.state = 'exiting';
    if (!this.started) this.listener.startFailed(this, `worker exited during start (code ${code}, signal ${signal})`);
    this.listener.exit(this, code, signal);
  }
}
