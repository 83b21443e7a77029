/** A job a worker of the pool is reading now, and the workers as the UI's workers table shows them. */
import type { OcrResult } from '../../shared/results';
import type { ClaimedJob } from '../store/types';
import type { PoolWorkerView } from './events';
import type { PageBudget } from './page-budget';
import type { WorkerSlot } from './slot';

export interface RunningJob {
  claimed: ClaimedJob;
  msgId: number;
  startedAt: number;
  timer: PageBudget;
  reuse: OcrResult | null;
  settling: boolean;
  /** Last progress the worker reported (the UI's "page 3 of 40"). */
  page?: number;
  pages?: number;
}

/** Each live worker process and what it is doing now. */
export function workerViews(slots: Iterable<WorkerSlot>, jobs: ReadonlyMap<WorkerSlot, RunningJob>): PoolWorkerView[] {
  return [...slots].map((s) => {
    const job = jobs.get(s);
    return {
      id: s.workerId,
      state: s.state === 'exiting' ? 'stopping' : s.state,
      jobId: job?.claimed.jobId ?? null,
      path: job?.claimed.path ?? null,
      page: job?.page ?? null,
      pages: job?.pages ?? null,
      since: job?.startedAt ?? null,
    };
  });
}
