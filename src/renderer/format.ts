/** Display helpers. */
export function num(n: number): string {
  return n.toLocaleString();
}

export function minutes(m: number): string {
  if (m < 1) return `${Math.round(m * 60)} s`;
  if (m < 60) return `${m.toFixed(1)} min`;
  return `${(m / 60).toFixed(1)} h`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}

export function time(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toLocaleString();
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${num(n)} ${n === 1 ? one : many}`;
}

/**
 * Time left at the recent pace: files completed per minute over the last hour, or, when work
 * started less than an hour ago, over the minutes since the first completion in that hour (the
 * current minute counted by the part of it that has passed). An hour's average would otherwise
 * predict 40 hours for 40 files just after the first one finished.
 */
export function etaText(
  s: { pending: number; processing: number; paused: boolean },
  perMinute: readonly { minute: number; completed: number }[],
  nowMs: number,
): string {
  const left = s.pending + s.processing;
  if (left === 0) return 'Nothing left to do.';
  if (s.paused) return 'Paused.';
  const nowMin = nowMs / 60_000;
  const recent = perMinute.filter((b) => b.completed > 0 && b.minute >= nowMin - 60);
  if (recent.length === 0) return 'No estimate yet: nothing finished in the last hour.';
  const done = recent.reduce((a, b) => a + b.completed, 0);
  const first = Math.min(...recent.map((b) => b.minute));
  const span = Math.min(60, Math.max(1, nowMin - first));
  return `About ${minutes(left / (done / span))} left at the pace of the last ${span >= 59.5 ? 'hour' : minutes(span)}.`;
}
