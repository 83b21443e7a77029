/**
 * How a job ended, written to the store (through the Settler's retries) and told to the host: the
 * pool's counters and its job-completed / job-failed events. Also what a worker's death means for
 * the job it was running.
 */
import type { ErrorKind } from '../../shared/errors';
import type { OcrResult } from '../../shared/results';
import type { Logger } from '../logger';
import type { ClaimedJob, FailOutcome } from '../store/types';
import type { PoolEvents } from './events';
import type { ResolvedPoolOptions } from './options';
import type { Settler } from './settle';
import { MEMORY_LIMIT_SIGNAL } from './protocol';
import type { KillReason } from './slot';

export interface EndingJob {
  claimed: ClaimedJob;
  startedAt: number;
}

type Emit = <K extends keyof PoolEvents>(event: K, ...args: PoolEvents[K]) => void;

export class Outcomes {
  readonly counters = { jobsCompleted: 0, jobsReused: 0, jobsRetried: 0, jobsFailed: 0, pagesDone: 0 };

  constructor(
    private readonly settler: Settler,
    private readonly log: Logger,
    private readonly emit: Emit,
  ) {}

  async complete(workerId: string, job: EndingJob, result: OcrResult, reused: boolean): Promise<void> {
    const { claimed } = job;
    const { outcome, failure } = await this.settler.complete(claimed.jobId, workerId, result);
    if (failure) this.noteFailure(job, failure, failure.status);
    if (outcome !== 'completed') return;
    this.counters.jobsCompleted++;
    if (reused) this.counters.jobsReused++;
    this.counters.pagesDone += result.pages.length;
    this.emit('job-completed', {
      jobId: claimed.jobId,
      documentId: claimed.documentId,
      path: claimed.path,
      pages: result.pages.length,
      reused,
      ms: Date.now() - job.startedAt,
    });
  }

  async fail(workerId: string, job: EndingJob, failure: { kind: ErrorKind; message: string }): Promise<void> {
    const outcome = await this.settler.fail(job.claimed.jobId, workerId, failure);
    this.noteFailure(job, failure, outcome.status);
  }

  private noteFailure(job: EndingJob, failure: { kind: ErrorKind; message: string }, status: FailOutcome['status']): void {
    const { claimed } = job;
    if (status === 'retry') this.counters.jobsRetried++;
    if (status === 'failed') this.counters.jobsFailed++;
    this.log.info('job failed', { jobId: claimed.jobId, path: claimed.path, kind: failure.kind, outcome: status });
    this.emit('job-failed', {
      jobId: claimed.jobId,
      documentId: claimed.documentId,
      path: claimed.path,
      kind: failure.kind,
      message: failure.message,
      outcome: status,
    });
  }
}

/** How a job ends when its worker process ends under it; null when the job just goes back (stop, lost lease). */
export function failureForExit(
  reason: KillReason | undefined,
  code: number | null,
  signal: string | null,
  o: Pick<ResolvedPoolOptions, 'maxJobRssBytes' | 'timeoutMs'>,
): { kind: ErrorKind; message: string } | null {
  // Killed by the pool past the limit, or ended by the worker's own watchdog (MEMORY_LIMIT_SIGNAL)
  // when the limit was passed inside synchronous code, where no memory report could be sent.
  if (reason === 'memory' || signal === MEMORY_LIMIT_SIGNAL) {
    return {
      kind: 'out_of_memory',
      message: `The OCR worker used more than ${Math.round(o.maxJobRssBytes / 1048576)} MB of memory on this file; it was stopped.`,
    };
  }
  if (reason === 'timeout') return { kind: 'timeout', message: `A page took longer than ${Math.round(o.timeoutMs / 1000)} s to read; the worker was stopped.` };
  if (reason === 'lost' || reason === 'stop') return null;
  return {
    kind: 'worker_crashed',
    message: `The OCR worker process ended while reading this file (${signal ? `signal ${signal}` : `exit code ${code}`}).`,
  };
}
