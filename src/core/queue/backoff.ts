/**
 * Retry delay after a transient failure: exponential, capped, with "equal jitter" (half fixed,
 * half random) so jobs that failed together (a worker crash takes several) do not retry in
 * lockstep, while every retry still waits at least half the nominal delay.
 */
export const BACKOFF_BASE_MS = 10_000;
export const BACKOFF_CAP_MS = 10 * 60_000;

/** Nominal delay before attempt `attempts + 1`, given `attempts` already made (>= 1). */
export function nominalBackoffMs(attempts: number, baseMs = BACKOFF_BASE_MS, capMs = BACKOFF_CAP_MS): number {
  const exp = Math.max(0, attempts - 1);
  // 2^30 * base overflows nothing in a double but is pointless: cap early.
  return Math.min(capMs, baseMs * 2 ** Math.min(exp, 30));
}

export function backoffMs(attempts: number, random: () => number = Math.random, baseMs = BACKOFF_BASE_MS): number {
  const nominal = nominalBackoffMs(attempts, baseMs);
  return Math.round(nominal / 2 + random() * (nominal / 2));
}
