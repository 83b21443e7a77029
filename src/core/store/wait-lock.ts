/**
 * Waiting out another process's write lock on the queue database (a `busy` storage fault) instead
 * of failing: the call is retried with backoff, however long the lock lasts, and the wait is said
 * once when it starts and once when it ends. Other faults are thrown to the caller.
 */
import { recoveredMessage, StorageError, waitingMessage } from './errors';

export const BUSY_RETRY_MS = 2000;
export const BUSY_RETRY_CAP_MS = 30_000;

export interface LockWait {
  /** `ok: false` with the sentence when the wait starts, `ok: true` when the lock is released. */
  onStorageWait?: (s: { ok: boolean; message: string }) => void;
  /** Injected by tests; default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

export async function waitingOutLock<T>(call: () => Promise<T>, o: LockWait = {}): Promise<T> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let waited = false;
  for (let delay = BUSY_RETRY_MS; ; delay = Math.min(delay * 2, BUSY_RETRY_CAP_MS)) {
    try {
      const r = await call();
      if (waited) o.onStorageWait?.({ ok: true, message: recoveredMessage('busy') });
      return r;
    } catch (err) {
      if (!(err instanceof StorageError && err.kind === 'busy')) throw err;
      if (!waited) o.onStorageWait?.({ ok: false, message: waitingMessage(err, BUSY_RETRY_MS, BUSY_RETRY_CAP_MS) });
      waited = true;
      await sleep(delay);
    }
  }
}
