/**
 * The host's one event route: every fact a front end hears (the UI over SSE or IPC, the CLI in
 * process) is emitted here once, by whoever knows it first: the pool for its own jobs, the
 * watcher for folders, the live poller for changes other processes make. A listener that throws
 * never stops the others.
 */
import type { EventMessage, EventName, Events } from '../../shared/events';
import type { Logger } from '../logger';

export interface EventBus {
  emit<E extends EventName>(event: E, data: Events[E]): void;
  subscribe(listener: (m: EventMessage) => void): () => void;
  clear(): void;
}

export function createEventBus(log: Logger): EventBus {
  const listeners = new Set<(m: EventMessage) => void>();
  // A storage fault or a fatal stop lasts: a front end that connects meanwhile hears it too.
  let lasting: EventMessage[] = [];
  return {
    emit(event, data) {
      const m = { event, data } as EventMessage;
      if (m.event === 'storageStatus') {
        const others: EventMessage[] = lasting.filter((x) => x.event !== 'storageStatus');
        lasting = m.data.ok ? others : [...others, m];
      }
      if (m.event === 'fatal') lasting = [...lasting, m];
      for (const l of [...listeners]) {
        try {
          l(m);
        } catch (err) {
          log.warn('event listener failed', { event, error: String(err) });
        }
      }
    },
    subscribe(l) {
      listeners.add(l);
      const replay = lasting;
      if (replay.length) {
        // After the caller has finished setting up its stream (it may write headers first).
        queueMicrotask(() => {
          for (const m of replay) if (listeners.has(l)) l(m);
        });
      }
      return () => listeners.delete(l);
    },
    clear() {
      listeners.clear();
    },
  };
}
