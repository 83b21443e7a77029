/**
 * Turns database changes made by other processes into events. Workers may be other processes
 * (`quire worker`, another host) and SQLite has no cross-process change notification, so the
 * host looks at two cheap things once a second: the trigger-kept counters (stats(), ~0.01 ms)
 * and the processing jobs (a partial index). Jobs this host's own pool runs are left out: the
 * pool reports them itself, so each fact reaches the front ends once.
 */
import type { Emit } from '../../shared/events';
import type { JobListRow } from '../../shared/listings';
import type { DocumentStore, ListingStore } from '../store/types';

export interface LiveOptions {
  store: Pick<ListingStore, 'stats' | 'listProcessingRows'> & Pick<DocumentStore, 'getJob'>;
  emit: Emit;
  /** Jobs held by this host's own workers (their events come from the pool). */
  ownedHere?: (workerId: string | null) => boolean;
  intervalMs?: number;
  onError?: (err: unknown) => void;
}

export interface Live {
  /** Look now (also what the timer calls). */
  tick(): Promise<void>;
  /**
   * Stats someone else just sent (a command's own statsChanged). Remembered as the last sent, so
   * a later change back to what the poller saw before (requeue, then the pool fails the file
   * again between two looks) still reaches the UI.
   */
  sent(stats: unknown): void;
  stop(): void;
}

export function startLive(opts: LiveOptions): Live {
  const { store, emit } = opts;
  let lastStats = '';
  let lastProcessing = new Map<string, JobListRow>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let running: Promise<void> | null = null;

  const look = async () => {
    const stats = await store.stats();
    const key = JSON.stringify(stats);
    if (key !== lastStats) {
      lastStats = key;
      emit('statsChanged', stats);
    }
    const now = new Map((await store.listProcessingRows()).map((r) => [r.id, r]));
    const ours = opts.ownedHere ?? (() => false);
    for (const [id, r] of now) {
      if (ours(r.workerId)) continue;
      const before = lastProcessing.get(id);
      if (!before || before.progressPage !== r.progressPage || before.progressPages !== r.progressPages) {
        emit('jobProgress', { jobId: id, path: r.path, workerId: r.workerId, page: r.progressPage, pages: r.progressPages });
      }
    }
    for (const [id, r] of lastProcessing) {
      if (now.has(id) || ours(r.workerId)) continue;
      const job = await store.getJob(id);
      if (job && (job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled')) {
        emit('jobFinished', { jobId: id, path: r.path, status: job.status, kind: job.errorKind, message: job.errorMessage });
      }
    }
    lastProcessing = now;
  };

  const tick = () => {
    // One look at a time: a slow disk must not pile up overlapping looks.
    running ??= look()
      .catch((err) => opts.onError?.(err))
      .finally(() => {
        running = null;
      });
    return running;
  };

  const loop = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void tick().then(loop);
    }, opts.intervalMs ?? 1000);
  };
  loop();

  return {
    tick,
    sent(stats) {
      lastStats = JSON.stringify(stats);
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
