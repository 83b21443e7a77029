/**
 * The pool's view of its storage: healthy, waiting out a transient fault (disk full, read-only,
 * PostgreSQL away, locked by another process), or damaged for good. It owns the sentences a
 * person reads and the retry rhythm (2 s doubling to 30 s), and says when the fault begins and
 * ends, once each. Every store call of the pool reports here: `ok()` after a success,
 * `observe(err)` after a failure.
 */
import type { Logger } from '../logger';
import { damagedMessage, isDamagedStorage, isTransientStorageFault, recoveredMessage, type StorageFaultKind, waitingMessage } from '../store/errors';

/** Longest wait between tries while the queue database is away. */
export const STORAGE_RETRY_CAP_MS = 30_000;

export interface StorageHealthListener {
  /** A fault began (ok false) or ended (ok true): the storage banner and `quire run`'s message. */
  storage(e: { ok: boolean; message: string }): void;
  /** The database is damaged: processing cannot go on. */
  fatal(e: { message: string }): void;
  /** The fault ended; `kind` says which it was (after a lost connection, orphaned claims are released). */
  recovered(kind: StorageFaultKind): void;
}

export type Observed = 'transient' | 'damaged' | 'other';

export class StorageHealth {
  private faultKind: StorageFaultKind | null = null;
  private faultMessage = '';
  private tries = 0;
  private damaged = '';

  constructor(
    private readonly retryMs: number,
    private readonly log: Logger,
    private readonly listener: StorageHealthListener,
  ) {}

  /** Transient fault under way: claim nothing new, keep results and retry their writes. */
  get down(): boolean {
    return this.faultKind !== null;
  }

  get isDamaged(): boolean {
    return this.damaged !== '';
  }

  /** What is wrong now, for stats and the UI; the damage message stays the one shown. */
  get message(): string | undefined {
    return this.damaged || (this.faultKind ? this.faultMessage : undefined);
  }

  /** The retry interval, doubling with each failed try while the fault lasts, capped. */
  retryDelay(): number {
    return Math.min(STORAGE_RETRY_CAP_MS, this.retryMs * 2 ** Math.min(5, Math.max(0, this.tries - 1)));
  }

  /** Sort a failed store call: a transient fault, damage, or an ordinary error for the caller. */
  observe(err: unknown): Observed {
    if (isTransientStorageFault(err)) {
      this.tries++;
      if (this.faultKind || this.damaged) return 'transient';
      this.faultKind = err.kind;
      this.faultMessage = waitingMessage(err, this.retryMs, STORAGE_RETRY_CAP_MS);
      this.log.error('storage fault', { kind: err.kind, error: err.detail });
      this.listener.storage({ ok: false, message: this.faultMessage });
      return 'transient';
    }
    if (isDamagedStorage(err)) {
      if (!this.damaged) {
        this.damaged = damagedMessage(err);
        this.log.error('database damaged', { error: err.detail });
        this.listener.storage({ ok: false, message: this.damaged });
        this.listener.fatal({ message: this.damaged });
      }
      return 'damaged';
    }
    return 'other';
  }

  /** A store call succeeded: a fault under way has ended. */
  ok(): void {
    this.tries = 0;
    const kind = this.faultKind;
    if (!kind || this.damaged) return;
    this.faultKind = null;
    this.faultMessage = '';
    this.log.info('storage usable again', { kind });
    this.listener.storage({ ok: true, message: recoveredMessage(kind) });
    this.listener.recovered(kind);
  }

  /** Wait one retry interval. */
  pause(): Promise<void> {
    return new Promise((r) => setTimeout(r, this.retryDelay()));
  }
}
