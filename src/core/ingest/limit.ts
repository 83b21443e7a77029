/**
 * A counting semaphore: at most `max` of the given tasks run at once. Waiters sit in an array
 * read from a moving head (Array.shift() is O(n) on long arrays: with 100,000 waiters it made a
 * walk quadratic).
 */
export function createLimiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  let waiting: (() => void)[] = [];
  let head = 0;
  const release = () => {
    active--;
    if (head < waiting.length) {
      const next = waiting[head++]!;
      if (head > 1024 && head * 2 > waiting.length) {
        waiting = waiting.slice(head);
        head = 0;
      }
      next();
    }
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
