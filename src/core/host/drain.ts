/**
 * Draining the queue: a host processes until nothing is pending or processing, driven by its
 * event route (statsChanged, from its own pool's work and from the live look at other processes;
 * fatal). It ends early when processing cannot go on (fatal), when the queue is paused with
 * nothing running here, or when the host is asked to stop.
 */
import type { EventMessage } from '../../shared/events';
import type { QueueStats } from '../../shared/stats';
import type { ListingStore } from '../store/types';

export type DrainEnd =
  /** Nothing left pending or processing. */
  | 'drained'
  /** Paused (quire pause) with nothing running in this host. */
  | 'paused'
  /** Processing cannot go on (workers cannot start, damaged database): see `fatal`. */
  | 'fatal'
  /** The host was asked to stop (a signal, the app quitting). */
  | 'stopped';

export interface DrainOutcome {
  end: DrainEnd;
  fatal?: string;
  /** The last statistics seen. */
  stats: QueueStats | null;
}

export interface DrainSource {
  subscribe(listener: (m: EventMessage) => void): () => void;
  /** Look at the database now (emits statsChanged when something changed). */
  look(): Promise<void>;
  store: Pick<ListingStore, 'stats'>;
  /** Jobs running in this host's pool now. */
  busy(): number;
  /** Resolves when the host is asked to stop. */
  stopped: Promise<void>;
}

export function drain(src: DrainSource): Promise<DrainOutcome> {
  return new Promise((resolve) => {
    let last: QueueStats | null = null;
    let settled = false;
    let unsubscribe: () => void = () => {};
    const finish = (end: DrainEnd, fatal?: string) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      resolve({ end, ...(fatal ? { fatal } : {}), stats: last });
    };
    const judge = (s: QueueStats) => {
      last = s;
      if (s.pending + s.processing === 0) finish('drained');
      else if (s.paused && src.busy() === 0) finish('paused');
    };
    unsubscribe = src.subscribe((m) => {
      if (m.event === 'statsChanged') judge(m.data);
      else if (m.event === 'fatal') finish('fatal', m.data.message);
      else if (m.event === 'jobFinished') void src.look();
    });
    void src.stopped.then(() => finish('stopped'));
    // The first look: a queue that is already empty (or paused) ends at once.
    void src.store
      .stats()
      .then(judge)
      .catch(() => {});
  });
}
