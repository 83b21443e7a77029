/**
 * The queue's rules, handed to each store adapter (the store runs them inside its transactions
 * but does not own them): how many attempts a job gets, how long a retry waits, and which files go
 * first.
 */
import type { QueuePolicy } from '../store/types';
import { BACKOFF_BASE_MS, backoffMs } from './backoff';
import { priorityForSize } from './priority';

export const DEFAULT_MAX_ATTEMPTS = 3;

export interface QueuePolicyOptions {
  maxAttempts?: number;
  /** Base retry delay (default BACKOFF_BASE_MS, 10 s); tests shorten it. */
  backoffBaseMs?: number;
  /** The jitter's randomness; tests fix it. */
  random?: () => number;
}

export function queuePolicy(o: QueuePolicyOptions = {}): QueuePolicy {
  const random = o.random ?? Math.random;
  const base = o.backoffBaseMs ?? BACKOFF_BASE_MS;
  return {
    maxAttempts: o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryDelayMs: (attempts) => backoffMs(attempts, random, base),
    priorityForSize,
  };
}
