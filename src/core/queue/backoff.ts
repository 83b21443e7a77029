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

/**
 * QUIRE_BACKOFF_BASE_MS shortens (or lengthens) the base delay; honoured only when set. Meant for
 * tests that retry through real processes without waiting 10 s per attempt.
 */
export function backoffBaseFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.QUIRE_BACKOFF_BASE_MS;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}
