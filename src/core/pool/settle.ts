/**
 * Writing a job's end to the store, whatever the storage does meanwhile. A finished result is
 * never dropped for a transient fault: the write is retried until the storage takes it (the
 * worker that made it takes no new job meanwhile). If the lease lapses while we wait, stale
 * recovery requeues the job and complete() answers false: the work is redone, never lost or
 * stored twice.
 */
import type { ErrorKind } from '../../shared/errors';
import type { OcrResult } from '../../shared/results';
import type { Logger } from '../logger';
import type { FailOutcome, QueueStore } from '../store/types';
import type { StorageHealth } from './storage-health';

export type CompleteOutcome =
  /** Stored. */
  | 'completed'
  /** The job is no longer this worker's (cancelled, or taken back by stale recovery): discarded. */
  | 'not_held'
  /** The store refused the result for a reason of its own: the job was failed as engine_error instead. */
  | 'failed'
  /** Not written: the pool is stopping during a storage fault, or the database is damaged. The job stays held and is recovered later. */
  | 'abandoned';

export class Settler {
  constructor(
    private readonly store: Pick<QueueStore, 'complete' | 'fail'>,
    private readonly health: StorageHealth,
    private readonly log: Logger,
    private readonly stopping: () => boolean,
  ) {}

  async complete(
    jobId: string,
    workerId: string,
    result: OcrResult,
  ): Promise<{ outcome: CompleteOutcome; failure?: { kind: ErrorKind; message: string; status: FailOutcome['status'] } }> {
    for (;;) {
      try {
        const held = await this.store.complete(jobId, workerId, result);
        this.health.ok();
        if (!held) this.log.warn('result discarded: the job is no longer held by this worker', { jobId });
        return { outcome: held ? 'completed' : 'not_held' };
      } catch (err) {
        const seen = this.health.observe(err);
        if (seen === 'transient' && !this.stopping()) {
          await this.health.pause();
          continue;
        }
        this.log.error('could not store a result', { jobId, error: (err as Error).message });
        if (seen !== 'other') return { outcome: 'abandoned' };
        const failure = { kind: 'engine_error' as const, message: `Could not store the result: ${(err as Error).message}` };
        const { status } = await this.fail(jobId, workerId, failure);
        return { outcome: 'failed', failure: { ...failure, status } };
      }
    }
  }

  /** Record a failure; `rejected` when the job is no longer held or the failure could not be written. */
  async fail(jobId: string, workerId: string, failure: { kind: ErrorKind; message: string }): Promise<FailOutcome> {
    for (;;) {
      try {
        const outcome = await this.store.fail(jobId, workerId, failure);
        this.health.ok();
        return outcome;
      } catch (err) {
        const seen = this.health.observe(err);
        if (seen === 'transient' && !this.stopping()) {
          await this.health.pause();
          continue;
        }
        this.log.error('could not record a failure', { jobId, error: (err as Error).message });
        return { status: 'rejected' };
      }
    }
  }
}
